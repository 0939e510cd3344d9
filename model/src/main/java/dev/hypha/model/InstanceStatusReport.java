package dev.hypha.model;

import java.time.Instant;

/** What an agent observed of one instance, sent in its status report. */
public record InstanceStatusReport(
        String id,
        InstanceState state,
        String containerId,
        Long pid,
        int restarts,
        Instant startedAt,
        Integer exitCode,
        String message,
        ContainerHealthMetrics metrics) {
    public InstanceStatusReport {
        Validation.nonBlank("id", id);
        if (state == null) throw new InvalidSpecException("state is required");
    }
}
