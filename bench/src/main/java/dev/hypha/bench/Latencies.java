package dev.hypha.bench;

import java.util.Arrays;

/**
 * Durations of individual operations in nanoseconds, and their percentiles.
 *
 * <p>Percentiles are by the nearest-rank method: p99 of 50,000 samples is the 49,500th smallest,
 * a value that was really measured, never an interpolation.
 */
public final class Latencies {
    private long[] nanos;
    private int size;

    public Latencies(int expected) {
        this.nanos = new long[Math.max(16, expected)];
    }

    public void add(long durationNanos) {
        if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
        nanos[size++] = durationNanos;
    }

    public int size() {
        return size;
    }

    /**
     * The {@code p}-th percentile in milliseconds (nearest rank), e.g. {@code percentileMillis(99)}.
     *
     * @throws IllegalStateException when nothing was recorded
     */
    public double percentileMillis(double p) {
        if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("a percentile is in (0, 100], got " + p);
        if (size == 0) throw new IllegalStateException("no durations recorded");
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /** The median in milliseconds: the 50th percentile. */
    public double medianMillis() {
        return percentileMillis(50);
    }

    public double maxMillis() {
        return percentileMillis(100);
    }
}
