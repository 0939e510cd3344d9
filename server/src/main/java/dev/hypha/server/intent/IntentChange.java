package dev.hypha.server.intent;

import dev.hypha.model.intent.IntentStatus;
import java.util.List;

/**
 * One write the intent controller made in a pass, so its log and its tests say what happened and
 * why. A pass that changes nothing returns none.
 */
public sealed interface IntentChange {
    /** The intent the write was for. */
    String intentId();

    /** A sentence a person understands. */
    String describe();

    /** A new plan (the next generation) replaced the old one. */
    record Replanned(String intentId, long generation, int replicas, List<String> reasons) implements IntentChange {
        public Replanned {
            reasons = List.copyOf(reasons);
        }

        @Override
        public String describe() {
            return "intent " + intentId + " re-planned (generation " + generation + ", " + replicas + " replicas): "
                    + String.join("; ", reasons);
        }
    }

    /** The status (or why) changed with the plan kept. */
    record StatusChanged(String intentId, IntentStatus status, String why) implements IntentChange {
        @Override
        public String describe() {
            return "intent " + intentId + " is " + status.wire() + (why == null ? "" : ": " + why);
        }
    }

    /** The workload the intent owns was missing and was created. */
    record WorkloadCreated(String intentId, String workload) implements IntentChange {
        @Override
        public String describe() {
            return "intent " + intentId + " created its workload " + workload;
        }
    }

    /** The owned workload's spec was brought in line with the plan (replicas, regions or template). */
    record WorkloadUpdated(String intentId, String workload, long generation) implements IntentChange {
        @Override
        public String describe() {
            return "intent " + intentId + " updated workload " + workload + " to generation " + generation;
        }
    }

    /** A replica was asked to stop so that the workload follows the plan. */
    record ReplicaStopped(String intentId, String instanceId, String why) implements IntentChange {
        @Override
        public String describe() {
            return "intent " + intentId + " stopped " + instanceId + ": " + why;
        }
    }

    /** A workload whose owning intent no longer exists was deleted. */
    record OrphanDeleted(String intentId, String workload) implements IntentChange {
        @Override
        public String describe() {
            return "deleted workload " + workload + ": its intent " + intentId + " no longer exists";
        }
    }
}
