package dev.hypha.core.economy;

import dev.hypha.model.InvalidSpecException;

/**
 * What one instance measurably consumed during one settlement period, in integers.
 *
 * <p>Settlement charges what was used, not what was requested: cpu from the cgroup's cpu time,
 * memory as the period's average, disk as pledged (disk is held whether written or not).
 *
 * @param cpuTimeMillis   cpu time used, in milliseconds (= millicore-seconds)
 * @param memoryMbAverage average memory use over the period, in MB
 * @param diskMb          disk held for the instance during the period, in MB
 */
public record MeasuredUsage(long cpuTimeMillis, long memoryMbAverage, long diskMb) {
    public static final MeasuredUsage NONE = new MeasuredUsage(0, 0, 0);

    public MeasuredUsage {
        if (cpuTimeMillis < 0 || memoryMbAverage < 0 || diskMb < 0) {
            throw new InvalidSpecException("measured usage must not be negative, got cpu_time_millis=" + cpuTimeMillis
                    + " memory_mb_average=" + memoryMbAverage + " disk_mb=" + diskMb);
        }
    }
}
