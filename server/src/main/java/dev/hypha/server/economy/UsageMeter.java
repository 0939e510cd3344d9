package dev.hypha.server.economy;

import dev.hypha.core.economy.MeasuredUsage;
import dev.hypha.core.economy.SettlementPeriod;
import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.InstanceState;
import dev.hypha.model.economy.Pledge;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns an instance's latest health sample into what it measurably used during one settlement
 * period: pure arithmetic, so settlement and its tests agree on every number.
 *
 * <p>Agents sample each container every ten seconds (cpu as a percentage of one core over the last
 * sample interval, memory in MB now); the server keeps only the latest sample per instance. That
 * sample stands for the time the instance ran within the period: from the latest of the period's
 * start, the pledge's creation and the container's start, to the period's end (cut at the pledge's
 * release). Settlement periods are 30 s by default, three agent samples, so the latest sample is a
 * fair measure of the period just ended. An instance that is not running, or has never been
 * sampled, used nothing.
 */
public final class UsageMeter {
    private UsageMeter() {}

    /**
     * The latest observation of one instance, as the settlement loop saw it.
     *
     * @param state     the agent's reported state
     * @param startedAt when the current container started, or null when unknown
     * @param metrics   the latest health sample, or null when none arrived yet
     * @param nodeUp    whether the host node was alive or suspect (a dead node's work stopped)
     */
    public record Sample(InstanceState state, Instant startedAt, ContainerHealthMetrics metrics, boolean nodeUp) {}

    /**
     * What one instance used in one period.
     *
     * @param usage           for {@code Settlement.settle}: memory and disk as averages over the whole period
     * @param runMillis       how long it ran within the period
     * @param cpuTimeMillis   cpu time used while it ran (millicore-seconds)
     * @param memoryMb        memory while it ran
     * @param energyMillijoules energy of its work while it ran (measured or modelled), or null when unknown
     */
    public record Measurement(MeasuredUsage usage, long runMillis, long cpuTimeMillis, long memoryMb,
                              Long energyMillijoules) {
        public static final Measurement NOTHING = new Measurement(MeasuredUsage.NONE, 0, 0, 0, null);

        public boolean isNothing() {
            return runMillis == 0;
        }
    }

    /** What the pledge's instance used during {@code period}, from {@code sample} (null: never observed). */
    public static Measurement measure(Pledge pledge, Sample sample, SettlementPeriod period) {
        if (sample == null || !sample.nodeUp() || sample.state() != InstanceState.RUNNING || sample.metrics() == null) {
            return Measurement.NOTHING;
        }
        Instant from = latest(period.start(), pledge.createdAt(), sample.startedAt());
        Instant to = pledge.releasedAt() != null && pledge.releasedAt().isBefore(period.end()) ? pledge.releasedAt()
                : period.end();
        long runMillis = Duration.between(from, to).toMillis();
        if (runMillis <= 0) return Measurement.NOTHING;
        long periodMillis = period.length().toMillis();
        ContainerHealthMetrics m = sample.metrics();
        // cpu % of one core x 10 = millicores; millicores x seconds = millicore-seconds = ms of cpu time.
        long cpuTimeMillis = Math.round(Math.max(0, m.cpuUsagePercent()) * 10 * runMillis / 1000.0);
        long memoryMb = Math.max(0, m.memoryUsageMb());
        // The period's averages: what the instance held while it ran, spread over the whole period
        // (rounded down, like every charge: the member paying is never charged more than it used).
        long memoryAverage = Math.multiplyExact(memoryMb, runMillis) / periodMillis;
        long diskAverage = Math.multiplyExact(pledge.resources().diskMb(), runMillis) / periodMillis;
        double watts = m.energyConsumptionWatts();
        Long energy = watts > 0 && Double.isFinite(watts) ? Math.round(watts * runMillis) : null; // W x ms = mJ
        return new Measurement(new MeasuredUsage(cpuTimeMillis, memoryAverage, diskAverage), runMillis, cpuTimeMillis,
                memoryMb, energy);
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant max = a;
        if (b != null && b.isAfter(max)) max = b;
        if (c != null && c.isAfter(max)) max = c;
        return max;
    }
}
