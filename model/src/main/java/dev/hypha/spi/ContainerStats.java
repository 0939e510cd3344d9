package dev.hypha.spi;

import java.time.Instant;

/** Cumulative counters of one container at one moment; rates come from two samples. */
public record ContainerStats(Instant at, long cpuUsageNanos, long memoryBytes, long memoryLimitBytes, long pids,
                             long networkBytes) {}
