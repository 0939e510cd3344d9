package dev.hypha.core.membership;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

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
    private final Set<String> confirmers = new HashSet<>();
    private int confirmations;
    private long deadline;

    /** {@code from} raised the suspicion; it never counts as a confirmation of itself. */
    Suspicion(String from, int expected, Duration min, Duration max, long startedAt) {
        this.startedAt = startedAt;
        this.expected = expected;
        this.min = min;
        this.max = max;
        confirmers.add(from);
        deadline = startedAt + SwimMath.suspicionTimeout(0, expected, min, max).toMillis();
    }

    /** Counts {@code from} as an independent confirmation; true when it was new information. */
    boolean confirm(String from) {
        if (confirmations >= expected || !confirmers.add(from)) return false;
        confirmations++;
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
