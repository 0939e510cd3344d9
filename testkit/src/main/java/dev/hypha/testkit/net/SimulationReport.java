package dev.hypha.testkit.net;

import java.util.Locale;

/**
 * What a {@link SwimSimulator} run measured, in protocol periods where time matters.
 *
 * @param members                  members in the simulation
 * @param live                     members still running at the end
 * @param periods                  protocol periods simulated since the measurements were reset
 * @param detections               (observer, crashed member) pairs where the observer declared it dead
 * @param undetected               such pairs where a live observer has not (yet) declared it dead
 * @param detectionMedianPeriods   median time from a crash to an observer declaring it dead, or NaN
 * @param detectionP99Periods      99th percentile of that time, or NaN
 * @param detectionMaxPeriods      slowest observer, or NaN
 * @param falsePositives           times a member declared a running member dead (should be zero)
 * @param falseSuspicions          suspicions of running members, counted once per (member, incarnation)
 *                                 however many members heard them
 * @param refutations              times a member refuted a suspicion about itself
 * @param bytesPerMemberPerSecond  datagram and stream bytes sent, per live member per second, envelopes included
 * @param packetsPerMemberPerSecond datagrams and streams sent, per live member per second
 * @param disseminationPeriods     time for the last broadcast to reach every live member, or NaN
 */
public record SimulationReport(
        int members,
        int live,
        double periods,
        long detections,
        long undetected,
        double detectionMedianPeriods,
        double detectionP99Periods,
        double detectionMaxPeriods,
        long falsePositives,
        long falseSuspicions,
        long refutations,
        double bytesPerMemberPerSecond,
        double packetsPerMemberPerSecond,
        double disseminationPeriods) {

    /** A few lines for people, as the tests and the simulation's main print them. */
    public String format() {
        return String.format(Locale.ROOT, """
                SWIM simulation: %d members (%d live), %.0f protocol periods
                  failure detection: %d detections, %d undetected; median %.2f, p99 %.2f, max %.2f periods
                  false positives: %d (false suspicions %d, refutations %d)
                  traffic: %.0f bytes and %.2f packets per member per second
                  dissemination of the last broadcast: %.2f periods""",
                members, live, periods, detections, undetected, detectionMedianPeriods, detectionP99Periods,
                detectionMaxPeriods, falsePositives, falseSuspicions, refutations, bytesPerMemberPerSecond,
                packetsPerMemberPerSecond, disseminationPeriods);
    }
}
