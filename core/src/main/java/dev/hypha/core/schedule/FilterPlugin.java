package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/** A scheduling extension point: can this node take this replica at all? Pure and thread-safe. */
public interface FilterPlugin {
    String name();

    FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster);
}
