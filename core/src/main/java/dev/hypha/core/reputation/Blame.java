package dev.hypha.core.reputation;

/** Whose doing an observed event is, for the subject node's reputation. */
public enum Blame {
    /** Counts for the node: it did what it pledged. */
    NODE_SUCCESS,
    /** Counts against the node. */
    NODE_FAILURE,
    /** The workload's own doing (a crash, a bad image, exceeding its own limit): the node is not judged by it. */
    WORKLOAD,
    /** Neither success nor failure: the control plane stopped the instance, or a usage sample (which feeds efficiency). */
    NOBODY
}
