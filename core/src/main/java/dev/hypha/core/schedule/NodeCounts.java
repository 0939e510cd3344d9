package dev.hypha.core.schedule;

import java.util.Arrays;

/**
 * How many active replicas of one workload each node runs, by node position: a small
 * open-addressing map from position to count, in two int arrays, so a lookup allocates nothing
 * and touches one or two cache lines.
 *
 * <p>Most nodes run no replica of a given workload, so a map over the few that do is smaller than
 * a column over all nodes. A count set to zero keeps its slot (positions are never removed): the
 * map holds at most one slot per node, so it cannot grow without bound.
 */
public final class NodeCounts {
    private static final int EMPTY = -1;
    private int[] positions;
    private int[] counts;
    private int used;

    NodeCounts() {
        positions = new int[8];
        Arrays.fill(positions, EMPTY);
        counts = new int[8];
    }

    /** The count at node {@code position}; zero when the node runs none. */
    public int of(int position) {
        int mask = positions.length - 1;
        for (int i = hash(position) & mask; ; i = (i + 1) & mask) {
            int p = positions[i];
            if (p == position) return counts[i];
            if (p == EMPTY) return 0;
        }
    }

    void set(int position, int count) {
        int mask = positions.length - 1;
        for (int i = hash(position) & mask; ; i = (i + 1) & mask) {
            int p = positions[i];
            if (p == position) {
                counts[i] = count;
                return;
            }
            if (p == EMPTY) {
                if (count == 0) return;
                positions[i] = position;
                counts[i] = count;
                if (++used * 2 > positions.length) grow();
                return;
            }
        }
    }

    private void grow() {
        int[] oldPositions = positions;
        int[] oldCounts = counts;
        positions = new int[oldPositions.length * 2];
        Arrays.fill(positions, EMPTY);
        counts = new int[oldPositions.length * 2];
        used = 0;
        for (int i = 0; i < oldPositions.length; i++) {
            if (oldPositions[i] != EMPTY) set(oldPositions[i], oldCounts[i]);
        }
    }

    private static int hash(int position) {
        int h = position * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
