package dev.hypha.core.reconcile;

import dev.hypha.model.WorkloadStatus;
import java.util.Objects;

/**
 * One change the controller must make to converge observed state on desired state.
 *
 * <p>Actions are values, not commands: the reconciler returns them and never executes anything,
 * so a plan can be logged, tested and re-planned freely. Each action is idempotent when applied
 * to the state it was planned from.
 */
public sealed interface Action permits Action.Place, Action.Stop, Action.Remove, Action.UpdateStatus {

    /** A one-line description for logs and events. */
    String describe();

    /**
     * Add one replica of {@code workload} at {@code generation}: the controller asks the scheduler for
     * a node and writes a new pending instance. One {@code Place} per replica.
     */
    record Place(String workload, long generation, String reason) implements Action {
        public Place {
            requireText("workload", workload);
            if (generation < 1) throw new IllegalArgumentException("generation must be at least 1, got " + generation);
            requireText("reason", reason);
        }

        @Override
        public String describe() {
            return "place a replica of " + workload + " (generation " + generation + "): " + reason;
        }
    }

    /**
     * Ask an agent to stop an instance: the controller sets its desired state to STOP; the agent
     * stops the container and reports it stopped, after which the reconciler plans a {@link Remove}.
     */
    record Stop(String instanceId, String reason) implements Action {
        public Stop {
            requireText("instanceId", instanceId);
            requireText("reason", reason);
        }

        @Override
        public String describe() {
            return "stop " + instanceId + ": " + reason;
        }
    }

    /** Delete an instance record: nothing runs it any more, or its node is gone. */
    record Remove(String instanceId, String reason) implements Action {
        public Remove {
            requireText("instanceId", instanceId);
            requireText("reason", reason);
        }

        @Override
        public String describe() {
            return "remove " + instanceId + ": " + reason;
        }
    }

    /** Store a workload's new status; planned only when it differs from the stored one. */
    record UpdateStatus(String workload, WorkloadStatus status) implements Action {
        public UpdateStatus {
            requireText("workload", workload);
            Objects.requireNonNull(status, "status");
        }

        @Override
        public String describe() {
            return "status of " + workload + ": " + status.readyReplicas() + "/" + status.desiredReplicas() + " ready";
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " must not be empty");
    }
}
