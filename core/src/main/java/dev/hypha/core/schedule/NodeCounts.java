package dev.hypha.core.schedule;

import java.util.Arrays;

/**
 * How many active replicas of one workload each node runs, by node position: a small
 * open-addressing map from position to count, in two int arrays, so a lookup allocates nothing
 * and touches one or two cache lines; or, once enough nodes run one, an int per node.
 *
 * <p>Most nodes run no replica of a given workload, so a map over the few that do is smaller than
 * a column over all nodes. A count set to zero keeps its slot (positions are never removed): the
 * map holds at most one slot per node, so it cannot grow without bound. A workload with replicas
 * on a large part of the cluster makes the map nearly as large as a column and each lookup a probe
 * into a large table, so then the counts move to a column: one load per lookup.
 */
public final class NodeCounts {
    private static final int EMPTY = -1;
    /**
     * The counts become a column once it spans at most this many positions per node counted: a
     * few times the map's size (two arrays at most half full), for a lookup that is one load
     * instead of a probe.
     */
    private static final int COLUMN_SPAN = 16;
    /** Below this many nodes counted the map stays: it fits in a few cache lines. */
    private static final int MIN_COLUMN_COUNTS = 64;
    private int[] positions;
    private int[] counts;
    private int used;
    private int highest = -1;
    /** Counts by position once the map has moved to a column; null before. */
    private int[] column;
    /** The sum of the counts over all positions. */
    private long total;

    /** Counts of a workload no node runs: all zero, never written. */
    static final NodeCounts NONE = new NodeCounts();

    NodeCounts() {
        positions = new int[8];
        Arrays.fill(positions, EMPTY);
        counts = new int[8];
    }

    /** The count at node {@code position}; zero when the node runs none. */
    public int of(int position) {
        int[] c = column;
        if (c != null) return position < c.length ? c[position] : 0;
        int mask = positions.length - 1;
        for (int i = hash(position) & mask; ; i = (i + 1) & mask) {
            int p = positions[i];
            if (p == position) return counts[i];
            if (p == EMPTY) return 0;
        }
    }

    /** The sum of the counts over all positions: zero when no node runs a replica of the workload. */
    long total() {
        return total;
    }

    void set(int position, int count) {
        if (column != null) {
            if (position >= column.length) {
                if (count == 0) return;
                column = Arrays.copyOf(column, Math.max(position + 1, 2 * column.length));
            }
            total += count - column[position];
            column[position] = count;
            return;
        }
        int mask = positions.length - 1;
        for (int i = hash(position) & mask; ; i = (i + 1) & mask) {
            int p = positions[i];
            if (p == position) {
                total += count - counts[i];
                counts[i] = count;
                return;
            }
            if (p == EMPTY) {
                if (count == 0) return;
                positions[i] = position;
                counts[i] = count;
                total += count;
                highest = Math.max(highest, position);
                if (++used * 2 > positions.length) {
                    grow();
                } else if (used >= MIN_COLUMN_COUNTS && highest < COLUMN_SPAN * used) {
                    toColumn();
                }
                return;
            }
        }
    }

    private void grow() {
        if (used >= MIN_COLUMN_COUNTS && highest < COLUMN_SPAN * used) {
            toColumn();
            return;
        }
        int[] oldPositions = positions;
        int[] oldCounts = counts;
        positions = new int[oldPositions.length * 2];
        Arrays.fill(positions, EMPTY);
        counts = new int[oldPositions.length * 2];
        used = 0;
        // Re-inserting adds every count to the total once more.
        total = 0;
        for (int i = 0; i < oldPositions.length; i++) {
            if (oldPositions[i] != EMPTY) set(oldPositions[i], oldCounts[i]);
        }
    }

    /** Moves the counts into a column over positions 0 .. highest. */
    private void toColumn() {
        int[] c = new int[highest + 1];
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] != EMPTY) c[positions[i]] = counts[i];
        }
        column = c;
        positions = null;
        counts = null;
    }

    private static int hash(int position) {
        int h = position * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
