package dev.hypha.core.schedule;

/**
 * Node positions grouped by a small integer key (a region id, a member id): one array holding
 * every position, group by group, ascending within each group, and where each group starts.
 *
 * <p>Why: a request limited to one region, or to one member's own nodes, can then draw its sample
 * from the nodes that can take it, instead of visiting the whole cluster to filter the others out
 * one by one. Regions and owners of nodes almost never change, so the index is rebuilt from
 * scratch (a counting sort, O(nodes + groups)) when one did, rather than patched: the rebuild
 * happens at most once per refresh that changed a region or an owner, and only when a request
 * asks. Each rebuild bumps {@link #generation()}, so what was derived from the index can tell it
 * is out of date. Mutable and not thread-safe, like the {@link NodeColumns} that own it.
 */
final class PositionIndex {
    private int[] positions = new int[0];
    /** Group g is {@code positions[starts[g] .. starts[g + 1] - 1]}. */
    private int[] starts = new int[1];
    private int groups;
    private boolean stale = true;
    private long generation;

    /** Marks the index out of date: a node's key changed, or the nodes did. */
    void invalidate() {
        stale = true;
    }

    boolean stale() {
        return stale;
    }

    /**
     * Regroups positions {@code 0 .. size - 1} by {@code keyOf[position]}, each in
     * {@code 0 .. groupCount - 1}.
     */
    void rebuild(int[] keyOf, int size, int groupCount) {
        if (positions.length < size) positions = new int[size];
        if (starts.length < groupCount + 1) starts = new int[groupCount + 1];
        java.util.Arrays.fill(starts, 0, groupCount + 1, 0);
        for (int k = 0; k < size; k++) starts[keyOf[k] + 1]++;
        for (int g = 0; g < groupCount; g++) starts[g + 1] += starts[g];
        // Fill each group from its end backwards, walking the positions downwards: ascending within a group.
        int[] next = new int[groupCount];
        for (int g = 0; g < groupCount; g++) next[g] = starts[g + 1];
        for (int k = size - 1; k >= 0; k--) positions[--next[keyOf[k]]] = k;
        groups = groupCount;
        stale = false;
        generation++;
    }

    /** Counts the rebuilds: what was derived from one generation is valid until the next. */
    long generation() {
        return generation;
    }

    /** Every position, grouped: read a group from {@link #start} to {@link #end}. */
    int[] positions() {
        return positions;
    }

    /** Where group {@code g} starts in {@link #positions()}; an unknown group is empty. */
    int start(int g) {
        return g < 0 || g >= groups ? 0 : starts[g];
    }

    /** Where group {@code g} ends (exclusive) in {@link #positions()}. */
    int end(int g) {
        return g < 0 || g >= groups ? 0 : starts[g + 1];
    }

    /** How many positions group {@code g} holds. */
    int size(int g) {
        return end(g) - start(g);
    }
}
