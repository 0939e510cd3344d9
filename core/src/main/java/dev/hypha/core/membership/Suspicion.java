package dev.hypha.core.membership;

import java.time.Duration;

/**
 * The suspicion timer of one suspected member (Lifeguard's LHA-Suspicion, memberlist's suspicion.go),
 * as data: the deadline is recomputed from the start time and the count of independent confirmations
 * instead of resetting a real timer.
 */
final class Suspicion {
    private final long startedAt;
    private final int expected;
    private final Duration min;
    private final Duration max;
    /** Who raised it: the same report coming back is the common case, checked first. */
    private final String raisedBy;
    /** Independent confirmers; at most {@code expected}, which is small (suspicion multiplier − 2). */
    private final String[] confirmers;
    private int confirmations;
    private long deadline;

    /** {@code from} raised the suspicion; it never counts as a confirmation of itself. */
    Suspicion(String from, int expected, Duration min, Duration max, long startedAt) {
        this.startedAt = startedAt;
        this.expected = expected;
        this.min = min;
        this.max = max;
        this.raisedBy = from;
        this.confirmers = new String[Math.max(0, expected)];
        deadline = startedAt + SwimMath.suspicionTimeout(0, expected, min, max).toMillis();
    }

    /** The same suspicion on a fresh timer from {@code now}, without its confirmations. */
    Suspicion restartedAt(long now) {
        return new Suspicion(raisedBy, expected, min, max, now);
    }

    /** Counts {@code from} as an independent confirmation; true when it was new information. */
    boolean confirm(String from) {
        if (confirmations >= expected || from.equals(raisedBy)) return false;
        for (int i = 0; i < confirmations; i++) {
            if (confirmers[i].equals(from)) return false;
        }
        confirmers[confirmations++] = from;
        deadline = startedAt + SwimMath.suspicionTimeout(confirmations, expected, min, max).toMillis();
        return true;
    }

    long deadline() {
        return deadline;
    }

    int confirmations() {
        return confirmations;
    }
}
