package dev.hypha.core.membership;

/**
 * Which of one origin's broadcast sequence numbers were already seen, within the newest
 * {@value #SIZE}: a fixed bitmap, so duplicate suppression needs no timers and bounded memory.
 * A number more than {@value #SIZE} behind the newest counts as seen.
 */
final class ReplayWindow {
    static final int SIZE = 1024;
    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** True the first time {@code seq} is offered. */
    boolean firstSighting(long seq) {
        if (seq > highest) {
            if (seq - highest >= SIZE) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long s = highest + 1; s < seq; s++) clear(s);
            }
            highest = seq;
            set(seq);
            return true;
        }
        if (highest - seq >= SIZE || isSet(seq)) return false;
        set(seq);
        return true;
    }

    private void set(long seq) {
        int slot = (int) (seq % SIZE);
        bits[slot >>> 6] |= 1L << (slot & 63);
    }

    private void clear(long seq) {
        int slot = (int) (seq % SIZE);
        bits[slot >>> 6] &= ~(1L << (slot & 63));
    }

    private boolean isSet(long seq) {
        int slot = (int) (seq % SIZE);
        return (bits[slot >>> 6] & (1L << (slot & 63))) != 0;
    }
}
