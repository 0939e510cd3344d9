package dev.hypha.model;

/**
 * One health sample of a running container (the seed's ContainerHealthMetrics).
 *
 * @param energyEstimated true when energy comes from the node's power model, not from RAPL
 */
public record ContainerHealthMetrics(
        double cpuUsagePercent,
        long memoryUsageMb,
        long uptimeSeconds,
        long networkBytesTransferred,
        double energyConsumptionWatts,
        boolean energyEstimated) {
    public static final ContainerHealthMetrics NONE = new ContainerHealthMetrics(0, 0, 0, 0, 0, true);
}
