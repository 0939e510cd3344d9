package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * A scheduling extension point: how good is this feasible node for this replica?
 * Returns a normalised score in 0..1 (1 = best); the profile applies the weight. Pure and thread-safe.
 */
public interface ScorePlugin {
    String name();

    double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster);

    /**
     * This score prepared for one request over the cluster's columns, or null when it has no fast
     * path (the pipeline then calls {@link #score} per node). Called once per placement; a score
     * that is the same on every node for this request returns {@link ColumnScore#constant}. The
     * prepared score must equal {@link #score} on every node, bit for bit.
     */
    default ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return null;
    }
}
