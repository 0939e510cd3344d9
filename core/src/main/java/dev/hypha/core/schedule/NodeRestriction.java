package dev.hypha.core.schedule;

import java.util.List;
import java.util.Objects;

/**
 * A hard constraint that a filter puts on one request, stated as a set of nodes the scheduler can
 * look up: the nodes in some regions, or the nodes of one member (see
 * {@link FilterPlugin#restriction}).
 *
 * <p>Why: filtering visits nodes one by one, so a workload limited to a small region, or a member
 * that may only use its own fifty nodes, made the scheduler visit most of a large cluster to find
 * enough nodes that can take it. Stated this way, the scheduler draws its sample from the nodes
 * inside the restriction ({@link NodeColumns} keeps the nodes indexed by region and by member),
 * and counts the nodes outside under {@link #rejection()} without visiting each.
 *
 * <p>A restriction must be exact: the filter that states it lets through every node inside and
 * rejects every node outside with {@link #rejection()}, so skipping the filter inside and counting
 * the outside in bulk decides as running it on every node would.
 */
public sealed interface NodeRestriction permits NodeRestriction.InRegions, NodeRestriction.OwnedBy {
    /** The rejection of every node outside the restriction. */
    FilterResult.Rejected rejection();

    /**
     * Only nodes in one of {@code regions}; a region no node is in allows nothing.
     *
     * @param regions at least one region name
     */
    record InRegions(List<String> regions, FilterResult.Rejected rejection) implements NodeRestriction {
        public InRegions {
            regions = List.copyOf(regions);
            if (regions.isEmpty()) throw new IllegalArgumentException("a region restriction needs at least one region");
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    /** Only the nodes that {@code member} owns. */
    record OwnedBy(String member, FilterResult.Rejected rejection) implements NodeRestriction {
        public OwnedBy {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
