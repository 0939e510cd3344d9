package dev.hypha.core.schedule;

import java.util.Arrays;

/**
 * A seeded random order of the indexes {@code 0..n-1}, visited in shuffled blocks of
 * {@link #BLOCK} consecutive indexes, produced lazily.
 *
 * <p>The blocks are shuffled with a Fisher–Yates shuffle that only touches the positions it
 * visits, so taking the first k indexes of a 10,000-node cluster costs O(k), not O(n). Within a
 * block the indexes are consecutive: the scheduler's loop is bound by memory latency, and nodes
 * next to each other in the snapshot are usually next to each other in memory, so a run of eight
 * lets the hardware prefetch (measured at 5,000 nodes: 1.5 to 1.7 times the placements per second
 * of a per-node shuffle; blocks of 16 gained nothing more). Eight is small enough that a 5% sample
 * still spans dozens of places in the node list.
 *
 * <p>Positions not yet written hold their own index; a generation stamp marks which entries belong
 * to the current shuffle, so resetting costs nothing. The random numbers come from SplitMix64
 * seeded with the request's seed: the same (n, seed) gives the same order on every JVM. Not
 * thread-safe: {@link PipelineScheduler} keeps one per thread.
 */
final class CandidateOrder {
    /** Consecutive indexes visited together. */
    static final int BLOCK = 8;

    private int[] values = new int[0];
    private int[] stamps = new int[0];
    private int stamp;
    private int size;
    private int blocks;
    private int blockPosition;
    private int current;
    private int left;
    private int visited;
    private long state;

    CandidateOrder reset(int n, long seed) {
        int b = (n + BLOCK - 1) / BLOCK;
        if (values.length < b) {
            values = new int[b];
            stamps = new int[b];
            stamp = 0;
        }
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
        size = n;
        blocks = b;
        blockPosition = 0;
        left = 0;
        visited = 0;
        state = seed;
        return this;
    }

    boolean hasNext() {
        return visited < size;
    }

    /** The next index of the order. */
    int next() {
        if (left == 0) {
            int block = nextBlock();
            current = block * BLOCK;
            left = Math.min(BLOCK, size - current);
        }
        visited++;
        left--;
        return current++;
    }

    private int nextBlock() {
        int i = blockPosition++;
        int j = i + bounded(blocks - i);
        int chosen = valueAt(j);
        if (j != i) {
            // Position i is never read again: only j needs the displaced value.
            values[j] = valueAt(i);
            stamps[j] = stamp;
        }
        return chosen;
    }

    private int valueAt(int k) {
        return stamps[k] == stamp ? values[k] : k;
    }

    /** A number in 0..bound-1 from the next SplitMix64 output (multiply-shift, no division). */
    private int bounded(int bound) {
        state += 0x9E3779B97F4A7C15L;
        return (int) (((Ranking.mix64(state) >>> 32) * bound) >>> 32);
    }
}
