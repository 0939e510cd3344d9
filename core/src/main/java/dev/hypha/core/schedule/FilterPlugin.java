package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * A scheduling extension point: can this node take this replica at all? Pure and thread-safe.
 *
 * <p>Return {@link FilterResult#fits()}, or a {@link FilterResult.Rejected} whose reason is a named
 * constant (e.g. {@link ResourceFitFilter#INSUFFICIENT_MEMORY}). Decisions count rejections per
 * reason, so a reason carries no per-node numbers; returning a preallocated constant also keeps the
 * scheduler's hot loop free of allocation. The numbers go in {@link #explain}.
 */
public interface FilterPlugin {
    String name();

    FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster);

    /**
     * One rejection in a sentence with this node's numbers, e.g. "needs 512 MB memory, 256 MB free
     * (256 MB short)". Called only for the bounded sample of rejections a decision keeps, so it may
     * allocate. The default is the reason itself.
     */
    default String explain(FilterResult.Rejected rejection, PlacementRequest request, NodeSnapshot node,
                           ClusterSnapshot cluster) {
        return rejection.reason();
    }

    /**
     * This filter prepared for one request over the cluster's columns, or null when it has no fast
     * path (the pipeline then calls {@link #filter} per node). Called once per placement, before
     * any node is filtered: what depends on the request alone is worked out here, and
     * {@link ColumnFilter#PASS} says every node fits (the pipeline skips the filter). The prepared
     * filter must agree with {@link #filter} on every node.
     */
    default ColumnFilter prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return null;
    }

    /**
     * The nodes this filter lets through for this request, as a {@link NodeRestriction} the
     * scheduler can look up, or null when it cannot say so (the default) or lets every node
     * through. It must be exact: {@link #filter} lets through every node inside it and rejects
     * every node outside with its {@link NodeRestriction#rejection()}. On a cluster large enough
     * to be sampled, the scheduler samples only inside the restrictions of a request and counts
     * the nodes outside under the first filter (in profile order) whose restriction leaves them
     * out, without visiting them.
     */
    default NodeRestriction restriction(PlacementRequest request, ClusterSnapshot cluster) {
        return null;
    }
}
