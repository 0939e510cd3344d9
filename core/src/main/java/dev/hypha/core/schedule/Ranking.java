package dev.hypha.core.schedule;

import dev.hypha.spi.Decision;
import java.util.Comparator;

/**
 * How candidates compare: higher total first; equal totals by a tie key derived from the request's
 * seed and the node id; then by node id.
 *
 * <p>A seeded tie key spreads equal choices over equal nodes (a fixed order would pile every tie onto
 * the first node) while staying reproducible, and it does not depend on the snapshot's node order.
 */
final class Ranking {
    private Ranking() {}

    /** The tie key of a node for a request: lower wins. */
    static long tieBreak(long seed, String nodeId) {
        return mix64(seed * 0x9E3779B97F4A7C15L ^ mix64(nodeId.hashCode()));
    }

    /** Whether candidate a ranks before candidate b. */
    static boolean better(double totalA, long tieA, String idA, double totalB, long tieB, String idB) {
        if (totalA != totalB) return totalA > totalB;
        if (tieA != tieB) return tieA < tieB;
        return idA.compareTo(idB) < 0;
    }

    /** Best first, for a candidate list; the tie key is recomputed from the seed. */
    static Comparator<Decision.CandidateScore> bestFirst(long seed) {
        return (a, b) -> {
            if (a.nodeId().equals(b.nodeId()) && a.total() == b.total()) return 0;
            return better(a.total(), tieBreak(seed, a.nodeId()), a.nodeId(),
                    b.total(), tieBreak(seed, b.nodeId()), b.nodeId()) ? -1 : 1;
        };
    }

    /** SplitMix64's finaliser: a cheap, well-mixed 64-bit hash. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
