package dev.hypha.core.membership;

import java.time.Duration;

/**
 * The formulas of SWIM with Lifeguard as small pure functions, so each can be table-tested alone.
 *
 * <p>They follow hashicorp/memberlist ({@code util.go}, {@code suspicion.go}, {@code awareness.go}) so
 * that operators who know its tuning know Hypha's.
 */
public final class SwimMath {
    /** Members up to which push-pull runs at its configured interval. */
    public static final int PUSH_PULL_SCALE_THRESHOLD = 32;

    private SwimMath() {}

    /**
     * The minimum time a member stays suspect: {@code mult × max(1, log10(max(1, n))) × interval},
     * kept to a thousandth of the node scale as memberlist does. It grows with the time an update
     * needs to reach n members.
     */
    public static Duration suspicionTimeout(int suspicionMult, int members, Duration probeInterval) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, members)));
        long scaleMillis = (long) (nodeScale * 1000);
        return probeInterval.multipliedBy(suspicionMult).multipliedBy(scaleMillis).dividedBy(1000);
    }

    /**
     * Lifeguard's dynamic suspicion timeout: starts at {@code max} and falls logarithmically to
     * {@code min} as independent confirmations arrive, reaching it at {@code expected} confirmations:
     * {@code max(min, max − (max − min) × log(c + 1) / log(k + 1))}, floored to the millisecond. With
     * {@code expected < 1} there is no one to confirm and the timeout is {@code min}.
     */
    public static Duration suspicionTimeout(int confirmations, int expected, Duration min, Duration max) {
        if (expected < 1) return min;
        double fraction = Math.log(confirmations + 1.0) / Math.log(expected + 1.0);
        double raw = max.toMillis() - fraction * (max.toMillis() - min.toMillis());
        long millis = (long) Math.floor(raw);
        return millis < min.toMillis() ? min : Duration.ofMillis(millis);
    }

    /**
     * Confirmations that bring a suspicion to its minimum: {@code suspicionMult − 2} (the nominal
     * timeout is then hit two probe periods early, since peers probe out of phase), or 0 when there are
     * not that many members besides the local one and the suspect.
     */
    public static int expectedConfirmations(int suspicionMult, int members) {
        int k = suspicionMult - 2;
        return members - 2 < k ? 0 : Math.max(0, k);
    }

    /** How many times a member sends one update: {@code mult × ceil(log10(n + 1))}. */
    public static int retransmitLimit(int retransmitMult, int members) {
        int nodeScale = (int) Math.ceil(Math.log10(members + 1.0));
        return retransmitMult * nodeScale;
    }

    /** Lifeguard's local health multiplier applied to a timeout: {@code timeout × (score + 1)}. */
    public static Duration scaleByHealth(Duration timeout, int healthScore) {
        return timeout.multipliedBy(healthScore + 1L);
    }

    /** A health score after a delta, kept in {@code 0 .. max − 1} (0 is healthy). */
    public static int applyHealthDelta(int score, int delta, int awarenessMaxMultiplier) {
        return Math.max(0, Math.min(awarenessMaxMultiplier - 1, score + delta));
    }

    /**
     * The push-pull interval for n members: unchanged up to 32, then one more interval for each
     * doubling beyond, so full exchanges do not saturate large clusters:
     * {@code interval × (ceil(log2 n − log2 32) + 1)}.
     */
    public static Duration pushPullInterval(Duration interval, int members) {
        if (members <= PUSH_PULL_SCALE_THRESHOLD) return interval;
        // ceil(log2(n / 32)) in integers: the doublings of 32 needed to reach n.
        long doublings = 0;
        for (long reach = PUSH_PULL_SCALE_THRESHOLD; reach < members; reach *= 2) doublings++;
        return interval.multipliedBy(doublings + 1);
    }
}
