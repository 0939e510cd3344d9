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
}
