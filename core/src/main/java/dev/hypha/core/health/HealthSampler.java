package dev.hypha.core.health;

import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.spi.ContainerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Turns runtime counter samples of one container into a {@link ContainerHealthMetrics}.
 *
 * <p>Cgroup counters are cumulative, so rates need two samples: cpu % is the cpu time used
 * between them over the wall time between them, 100 % being one full core (as {@code docker
 * stats} and {@code top} count, so a container using two cores shows 200 %). Memory, network
 * bytes and uptime come from the newer sample. When a counter went backwards the container was
 * replaced between the samples, and the rate is reported as 0 rather than as a negative number.
 *
 * @param energy   the node's power model
 * @param nodeCpus the node's cpu count, to turn cpu time into a share of the whole node
 */
public record HealthSampler(EnergyModel energy, int nodeCpus) {
    private static final long MIB = 1024 * 1024;

    public HealthSampler {
        Objects.requireNonNull(energy, "energy");
        if (nodeCpus <= 0) throw new IllegalArgumentException("nodeCpus must be positive, got " + nodeCpus);
    }

    /**
     * Metrics from two samples of the same container.
     *
     * @param previous  the earlier sample, or null for the first one (cpu and energy rates then read 0
     *                  apart from the idle share)
     * @param current   the newer sample
     * @param startedAt when the container started, for uptime
     * @param idleShare the container's share of the node's idle power, see {@link EnergyModel#idleShare}
     */
    public ContainerHealthMetrics sample(ContainerStats previous, ContainerStats current, Instant startedAt,
                                         double idleShare) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(startedAt, "startedAt");
        long intervalNanos = previous == null ? 0 : nanosBetween(previous.at(), current.at());
        long cpuNanos = previous == null ? 0 : current.cpuUsageNanos() - previous.cpuUsageNanos();
        double cpuPercent = cpuPercent(cpuNanos, intervalNanos);
        double share = EnergyModel.cpuShare(cpuNanos, intervalNanos, nodeCpus);
        EnergyEstimate watts = energy.containerWatts(share, idleShare);
        return new ContainerHealthMetrics(cpuPercent, memoryMb(current.memoryBytes()),
                uptimeSeconds(startedAt, current.at()), Math.max(0, current.networkBytes()), watts.watts(),
                watts.estimated());
    }

    /** Cpu time over wall time in percent of one core; 0 for an empty interval or a counter that went backwards. */
    public static double cpuPercent(long cpuNanos, long intervalNanos) {
        if (intervalNanos <= 0 || cpuNanos <= 0) return 0;
        return 100.0 * cpuNanos / intervalNanos;
    }

    /** Bytes as whole MiB, rounded to the nearest. */
    public static long memoryMb(long bytes) {
        if (bytes <= 0) return 0;
        return (bytes + MIB / 2) / MIB;
    }

    /** Whole seconds from start to the sample; 0 if the sample predates the start. */
    public static long uptimeSeconds(Instant startedAt, Instant at) {
        Duration d = Duration.between(startedAt, at);
        return d.isNegative() ? 0 : d.toSeconds();
    }

    private static long nanosBetween(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? 0 : d.toNanos();
    }
}
