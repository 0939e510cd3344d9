package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
        WorkloadSpec spec) {

    public Instance {
        Validation.nonBlank("id", id);
        Validation.name("workload", workload);
        desired = desired == null ? DesiredState.RUN : desired;
        state = state == null ? InstanceState.PENDING : state;
    }

    public static Instance assign(String id, Workload w, String nodeId, Instant now) {
        return new Instance(id, w.name(), w.generation(), nodeId, DesiredState.RUN, InstanceState.PENDING,
                null, null, 0, now, null, null, null, null, w.spec());
    }

    public Instance withDesired(DesiredState d, String why) {
        return new Instance(id, workload, generation, nodeId, d, state, containerId, pid, restarts, createdAt,
                startedAt, exitCode, why == null ? message : why, metrics, spec);
    }

    /** The agent's view of this instance replaces the observed fields, never the assignment. */
    public Instance withObserved(InstanceStatusReport r) {
        return new Instance(id, workload, generation, nodeId, desired, r.state(), r.containerId(), r.pid(),
                r.restarts(), createdAt, r.startedAt(), r.exitCode(), r.message(), r.metrics(), spec);
    }

    public Instance withState(InstanceState s, String why) {
        return new Instance(id, workload, generation, nodeId, desired, s, containerId, pid, restarts, createdAt,
                startedAt, exitCode, why, metrics, spec);
    }

    /** Occupies a slot on its node and counts toward the workload's replicas. */
    @JsonIgnore
    public boolean isActive() {
        return desired == DesiredState.RUN && state.isActive();
    }
}
