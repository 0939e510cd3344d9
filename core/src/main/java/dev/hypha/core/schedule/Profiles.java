package dev.hypha.core.schedule;

import java.util.List;

/**
 * The built-in scheduler profiles.
 *
 * <p>{@code simple} is what a cluster without the economy needs: only alive nodes with room, in
 * the allowed regions, preferring emptier nodes and spreading a workload's replicas.
 */
public final class Profiles {
    public static final String SIMPLE = "simple";
    /** Five candidates explain a choice (the winner and its four closest rivals). */
    public static final int DEFAULT_TOP_CANDIDATES = 5;

    private Profiles() {}

    /**
     * Filters: {@link NodeAliveFilter}, {@link ResourceFitFilter}, {@link RegionFilter}. Scores:
     * {@link LeastAllocatedScore} 0.5 and {@link SpreadScore} 0.5, so an empty node is as attractive
     * as one that holds no replica of the workload yet.
     */
    public static SchedulerProfile simple() {
        return new SchedulerProfile(SIMPLE,
                List.of(new NodeAliveFilter(), new ResourceFitFilter(), new RegionFilter()),
                List.of(new WeightedScore(new LeastAllocatedScore(), 0.5), new WeightedScore(new SpreadScore(), 0.5)),
                DEFAULT_TOP_CANDIDATES);
    }
}
