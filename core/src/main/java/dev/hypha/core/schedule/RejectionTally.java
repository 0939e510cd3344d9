package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts one decision's rejections per (filter plugin, reason) and keeps a bounded sample of them,
 * explained with each node's numbers.
 *
 * <p>The sample takes at most {@link #PER_REASON} rejections of each reason, so a rare reason is not
 * crowded out by a common one, and at most {@link #MAX_SAMPLE} in all. Reasons are few, so they are
 * found by a linear scan of small arrays: recording a rejection allocates nothing once its reason
 * has been seen.
 */
final class RejectionTally {
    /** Individual rejections a decision keeps at most. */
    static final int MAX_SAMPLE = 20;
    /** Individual rejections of one reason a decision keeps at most. */
    static final int PER_REASON = 3;

    private final List<FilterPlugin> filters;
    private int[] filterOf = new int[4];
    private FilterResult.Rejected[] reasonOf = new FilterResult.Rejected[4];
    private int[] counts = new int[4];
    private int[] sampled = new int[4];
    private int distinct;
    private final List<Decision.Rejection> sample = new ArrayList<>();

    RejectionTally(List<FilterPlugin> filters) {
        this.filters = filters;
    }

    void record(int filter, FilterResult.Rejected rejection, PlacementRequest request, NodeSnapshot node,
                ClusterSnapshot cluster) {
        int e = find(filter, rejection);
        counts[e]++;
        if (sampled[e] < PER_REASON && sample.size() < MAX_SAMPLE) {
            sampled[e]++;
            FilterPlugin plugin = filters.get(filter);
            sample.add(new Decision.Rejection(node.id(), plugin.name(), plugin.explain(rejection, request, node, cluster)));
        }
    }

    /** Counts {@code count} more rejections of this reason without sampling any (nodes that were not visited). */
    void add(int filter, FilterResult.Rejected rejection, int count) {
        if (count > 0) counts[find(filter, rejection)] += count;
    }

    private int find(int filter, FilterResult.Rejected rejection) {
        for (int e = 0; e < distinct; e++) {
            if (filterOf[e] == filter
                    && (reasonOf[e] == rejection || reasonOf[e].reason().equals(rejection.reason()))) {
                return e;
            }
        }
        if (distinct == counts.length) {
            int n = distinct * 2;
            filterOf = java.util.Arrays.copyOf(filterOf, n);
            reasonOf = java.util.Arrays.copyOf(reasonOf, n);
            counts = java.util.Arrays.copyOf(counts, n);
            sampled = java.util.Arrays.copyOf(sampled, n);
        }
        filterOf[distinct] = filter;
        reasonOf[distinct] = rejection;
        return distinct++;
    }

    /** Rejections per "plugin: reason", e.g. {"resource-fit: insufficient memory": 3}. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new HashMap<>();
        for (int e = 0; e < distinct; e++) {
            out.put(filters.get(filterOf[e]).name() + ": " + reasonOf[e].reason(), counts[e]);
        }
        return out;
    }

    List<Decision.Rejection> sample() {
        return sample;
    }
}
