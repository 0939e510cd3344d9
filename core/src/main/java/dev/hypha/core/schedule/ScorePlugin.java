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
}
