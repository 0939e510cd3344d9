package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
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
    private final Keys keys;
    private int[] filterOf = new int[4];
    private FilterResult.Rejected[] reasonOf = new FilterResult.Rejected[4];
    private int[] counts = new int[4];
    private int[] sampled = new int[4];
    private int distinct;
    private final List<Decision.Rejection> sample = new ArrayList<>();

    RejectionTally(List<FilterPlugin> filters) {
        this(filters, new Keys());
    }

    /** @param keys the "plugin: reason" strings made so far for these filters, to reuse */
    RejectionTally(List<FilterPlugin> filters, Keys keys) {
        this.filters = filters;
        this.keys = keys;
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

    /** Rejections per "plugin: reason", e.g. {"resource-fit: insufficient memory": 3}; immutable. */
    Map<String, Integer> counts() {
        String[] names = new String[distinct];
        Integer[] values = new Integer[distinct];
        for (int e = 0; e < distinct; e++) {
            names[e] = keys.of(filterOf[e], reasonOf[e], filters);
            values[e] = counts[e];
        }
        return TopCandidates.immutableMap(names, values);
    }

    List<Decision.Rejection> sample() {
        return sample;
    }

    /**
     * The "plugin: reason" strings of one profile's rejections, made once per reason and reused:
     * reasons are few and mostly constants, so a decision need not build its keys again. Not
     * thread-safe: the scheduler keeps one per thread.
     */
    static final class Keys {
        private int[] filters = new int[8];
        private FilterResult.Rejected[] reasons = new FilterResult.Rejected[8];
        private String[] keys = new String[8];
        private int size;

        String of(int filter, FilterResult.Rejected reason, List<FilterPlugin> plugins) {
            for (int i = 0; i < size; i++) {
                if (filters[i] == filter && reasons[i] == reason) return keys[i];
            }
            String key = plugins.get(filter).name() + ": " + reason.reason();
            // At most 64: a plugin that made a new rejection per node would otherwise grow it without end.
            if (size == 64) return key;
            if (size == keys.length) {
                filters = java.util.Arrays.copyOf(filters, 2 * size);
                reasons = java.util.Arrays.copyOf(reasons, 2 * size);
                keys = java.util.Arrays.copyOf(keys, 2 * size);
            }
            filters[size] = filter;
            reasons[size] = reason;
            keys[size++] = key;
            return key;
        }
    }
}
