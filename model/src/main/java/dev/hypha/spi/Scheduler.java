package dev.hypha.spi;

/**
 * Chooses the node for one replica. Pure: the same request and snapshot give the same placement,
 * and nothing is written — binding the decision is the caller's job. Thread-safe.
 */
public interface Scheduler {
    /** The profile's name ("simple", "mycelial"). */
    String profile();

    Placement schedule(PlacementRequest request, ClusterSnapshot snapshot);
}
