package dev.hypha.core.health;

import dev.hypha.model.PowerProfile;
import java.util.Objects;

/**
 * A linear power model of one node, and how it is shared among the node's containers.
 *
 * <p>These virtual machines have no RAPL or hwmon counters, so power is modelled the way Kepler
 * does without them: a node draws {@code idle} watts doing nothing and {@code max} at full cpu,
 * linearly in between. A container is charged two parts: its {@code idleShare} of the idle draw
 * (what it keeps reserved, by default its requested cpu over the node's capacity) and the dynamic
 * part {@code (max − idle) × cpuShare}, where {@code cpuShare} is the fraction of all the node's
 * cpu time that the container used. Such figures are marked estimated. Where a host does have
 * RAPL, {@link #measured} splits the measured node power by the container's share of used cpu.
 */
public record EnergyModel(PowerProfile profile) {
    public EnergyModel {
        Objects.requireNonNull(profile, "profile");
    }

    /** The node's modelled draw at a cpu utilisation between 0 and 1. */
    public double nodeWatts(double cpuUtilisation) {
        return profile.idleWatts() + dynamicRange() * clampUnit(cpuUtilisation);
    }

    /**
     * A container's modelled draw: {@code idle × idleShare + (max − idle) × cpuShare}, both shares
     * clamped to 0..1. Always {@linkplain EnergyEstimate#estimated() estimated}.
     */
    public EnergyEstimate containerWatts(double cpuShare, double idleShare) {
        double watts = profile.idleWatts() * clampUnit(idleShare) + dynamicRange() * clampUnit(cpuShare);
        return new EnergyEstimate(watts, true);
    }

    private double dynamicRange() {
        return profile.maxWatts() - profile.idleWatts();
    }

    /**
     * The fraction of a node's whole cpu time a container used: cpu nanoseconds over the wall
     * interval times the node's cpu count, clamped to 0..1 (0 when the interval is empty).
     */
    public static double cpuShare(long cpuNanos, long intervalNanos, int nodeCpus) {
        if (intervalNanos <= 0 || nodeCpus <= 0 || cpuNanos <= 0) return 0;
        return clampUnit((double) cpuNanos / ((double) intervalNanos * nodeCpus));
    }

    /**
     * The share of the node's idle draw charged to a container: what it reserved (its requested
     * millicores) over what the node offers, clamped to 0..1.
     */
    public static double idleShare(long requestedMillicores, long nodeCapacityMillicores) {
        if (nodeCapacityMillicores <= 0 || requestedMillicores <= 0) return 0;
        return clampUnit((double) requestedMillicores / nodeCapacityMillicores);
    }

    /**
     * A container's power from a measured node energy counter (RAPL): the node's average watts over
     * the interval times the container's share of the cpu time used on the node. Not estimated.
     *
     * @param energyMicrojoules node energy used in the interval (see {@link #counterDelta})
     * @param shareOfUsedCpu    container cpu time over all cpu time used on the node, 0..1
     */
    public static EnergyEstimate measured(long energyMicrojoules, long intervalNanos, double shareOfUsedCpu) {
        if (intervalNanos <= 0 || energyMicrojoules <= 0) return new EnergyEstimate(0, false);
        double nodeWatts = energyMicrojoules * 1e3 / intervalNanos; // µJ / ns = 1e3 J/s
        return new EnergyEstimate(nodeWatts * clampUnit(shareOfUsedCpu), false);
    }

    /**
     * The increase of a RAPL energy counter between two reads, allowing one wrap-around at
     * {@code maxRange} (the counter's {@code max_energy_range_uj}).
     */
    public static long counterDelta(long before, long after, long maxRange) {
        if (after >= before) return after - before;
        if (maxRange <= 0) return 0;
        return maxRange - before + after;
    }

    private static double clampUnit(double v) {
        if (Double.isNaN(v) || v <= 0) return 0;
        return Math.min(1, v);
    }
}
