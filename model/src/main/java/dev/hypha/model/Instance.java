package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;

/**
 * One replica of a workload, assigned to a node.
 *
 * <p>The control plane writes the assignment ({@code workload}, {@code generation},
 * {@code nodeId}, {@code desired}); the node's agent writes what it observed ({@code state},
 * {@code containerId}, {@code pid}, {@code restarts}, {@code metrics} …).
 *
 * @param generation the workload generation this replica was made for
 * @param spec       the template this replica runs, copied at placement so an agent never needs
 *                   to read the workload (and a rolling replace is explicit)
 * @param message    a short human reason for the current state (exit code, OOM, back-off …)
 * @param resourceViolations how often this replica used more memory than it requested, as its
 *                   agent counted (see {@link InstanceStatusReport}); held against the workload
 * @param lastViolation the latest violation in words, or null
 */
public record Instance(
        String id,
        String workload,
        long generation,
        String nodeId,
        DesiredState desired,
        InstanceState state,
        String containerId,
        Long pid,
        int restarts,
        Instant createdAt,
        Instant startedAt,
        Integer exitCode,
        String message,
        ContainerHealthMetrics metrics,
        WorkloadSpec spec,
        @JsonSetter(nulls = Nulls.AS_EMPTY) int resourceViolations,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lastViolation) {

    public Instance {
        Validation.nonBlank("id", id);
        Validation.name("workload", workload);
        desired = desired == null ? DesiredState.RUN : desired;
        state = state == null ? InstanceState.PENDING : state;
        if (resourceViolations < 0) throw new InvalidSpecException("resource_violations must not be negative");
    }

    /** An instance without resource violations (the form most callers build). */
    public Instance(String id, String workload, long generation, String nodeId, DesiredState desired,
                    InstanceState state, String containerId, Long pid, int restarts, Instant createdAt,
                    Instant startedAt, Integer exitCode, String message, ContainerHealthMetrics metrics,
                    WorkloadSpec spec) {
        this(id, workload, generation, nodeId, desired, state, containerId, pid, restarts, createdAt, startedAt,
                exitCode, message, metrics, spec, 0, null);
    }

    public static Instance assign(String id, Workload w, String nodeId, Instant now) {
        return new Instance(id, w.name(), w.generation(), nodeId, DesiredState.RUN, InstanceState.PENDING,
                null, null, 0, now, null, null, null, null, w.spec());
    }

    public Instance withDesired(DesiredState d, String why) {
        return new Instance(id, workload, generation, nodeId, d, state, containerId, pid, restarts, createdAt,
                startedAt, exitCode, why == null ? message : why, metrics, spec, resourceViolations, lastViolation);
    }

    /** The agent's view of this instance replaces the observed fields, never the assignment. */
    public Instance withObserved(InstanceStatusReport r) {
        return new Instance(id, workload, generation, nodeId, desired, r.state(), r.containerId(), r.pid(),
                r.restarts(), createdAt, r.startedAt(), r.exitCode(), r.message(), r.metrics(), spec,
                r.resourceViolations(), r.lastViolation());
    }

    public Instance withState(InstanceState s, String why) {
        return new Instance(id, workload, generation, nodeId, desired, s, containerId, pid, restarts, createdAt,
                startedAt, exitCode, why, metrics, spec, resourceViolations, lastViolation);
    }

    /** Occupies a slot on its node and counts toward the workload's replicas. */
    @JsonIgnore
    public boolean isActive() {
        return desired == DesiredState.RUN && state.isActive();
    }
}
