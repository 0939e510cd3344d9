package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;

/**
 * What an agent observed of one instance, sent in its status report.
 *
 * @param resourceViolations how often this replica used more memory than it requested (samples at
 *                           95 % or more of the request, and OOM kills); held against the workload,
 *                           never against the node
 * @param lastViolation      the latest of those, in words, or null when there was none
 */
public record InstanceStatusReport(
        String id,
        InstanceState state,
        String containerId,
        Long pid,
        int restarts,
        Instant startedAt,
        Integer exitCode,
        String message,
        ContainerHealthMetrics metrics,
        @JsonSetter(nulls = Nulls.AS_EMPTY) int resourceViolations,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lastViolation) {
    public InstanceStatusReport {
        Validation.nonBlank("id", id);
        if (state == null) throw new InvalidSpecException("state is required");
        if (resourceViolations < 0) throw new InvalidSpecException("resource_violations must not be negative");
    }

    /** A report without resource violations. */
    public InstanceStatusReport(String id, InstanceState state, String containerId, Long pid, int restarts,
                                Instant startedAt, Integer exitCode, String message, ContainerHealthMetrics metrics) {
        this(id, state, containerId, pid, restarts, startedAt, exitCode, message, metrics, 0, null);
    }
}
