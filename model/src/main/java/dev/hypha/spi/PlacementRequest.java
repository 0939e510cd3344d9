package dev.hypha.spi;

import dev.hypha.model.WorkloadSpec;

/**
 * One replica to place.
 *
 * @param seed makes candidate sampling and tie-breaking reproducible (e.g. from the store revision)
 */
public record PlacementRequest(WorkloadSpec workload, String instanceId, long seed) {}
