package dev.hypha.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The delay before a crashed container is started again: Kubernetes' CrashLoopBackOff.
 *
 * <p>The first restart waits {@link #INITIAL}, each further consecutive crash doubles the wait up
 * to {@link #MAX}, and a container that ran for {@link #RESET_AFTER} before it exited counts as
 * healthy again, so its next crash starts over at {@link #INITIAL}. A crash loop therefore costs
 * the node one start every five minutes at most, while a service that fails once a day is
 * restarted after ten seconds. All methods are pure functions of counts and timestamps.
 */
public final class RestartBackoff {
    /** The wait after the first crash of a streak (kubelet's initial back-off). */
    public static final Duration INITIAL = Duration.ofSeconds(10);
    /** The longest wait (kubelet's MaxContainerBackOff). */
    public static final Duration MAX = Duration.ofMinutes(5);
    /** A run at least this long ends a crash streak (kubelet resets after twice the maximum back-off). */
    public static final Duration RESET_AFTER = Duration.ofMinutes(10);

    private RestartBackoff() {}

    /**
     * The wait before the restart that follows the {@code consecutiveCrashes}-th crash in a row:
     * 1 → 10 s, 2 → 20 s, 3 → 40 s … capped at 5 min; zero or fewer crashes need no wait.
     */
    public static Duration delay(int consecutiveCrashes) {
        if (consecutiveCrashes <= 0) return Duration.ZERO;
        // 10 s × 2^(n-1) passes 5 min at n = 6; stop doubling there so the shift cannot overflow.
        int doublings = Math.min(consecutiveCrashes - 1, 5);
        Duration d = INITIAL.multipliedBy(1L << doublings);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /**
     * The crash streak after a container that started at {@code startedAt} exited at
     * {@code exitedAt}: one more than before, or 1 again when it had run for {@link #RESET_AFTER}.
     */
    public static int crashesAfterExit(int previousConsecutiveCrashes, Instant startedAt, Instant exitedAt) {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(exitedAt, "exitedAt");
        if (Duration.between(startedAt, exitedAt).compareTo(RESET_AFTER) >= 0) return 1;
        return Math.max(0, previousConsecutiveCrashes) + 1;
    }

    /** When the container that exited at {@code exitedAt}, ending a streak of that many crashes, may start again. */
    public static Instant restartAt(Instant exitedAt, int consecutiveCrashes) {
        return exitedAt.plus(delay(consecutiveCrashes));
    }

    /** Whether, at {@code now}, the back-off after that exit has passed. */
    public static boolean mayRestart(Instant now, Instant exitedAt, int consecutiveCrashes) {
        return !now.isBefore(restartAt(exitedAt, consecutiveCrashes));
    }

    /** How long is still left to wait at {@code now}; zero once the container may start. */
    public static Duration remaining(Instant now, Instant exitedAt, int consecutiveCrashes) {
        Duration left = Duration.between(now, restartAt(exitedAt, consecutiveCrashes));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
