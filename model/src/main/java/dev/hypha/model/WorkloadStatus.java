package dev.hypha.model;

/** How far a workload is from what it asked for. */
public record WorkloadStatus(int desiredReplicas, int readyReplicas) {
    public static WorkloadStatus pending(int desired) {
        return new WorkloadStatus(desired, 0);
    }
}
