package dev.hypha.core.intent;

import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.IntentPlan;
import java.util.Objects;

/** The planner's answer: a plan with the workload that carries it out, or the constraint that cannot be met. */
public sealed interface PlanResult permits PlanResult.Feasible, PlanResult.Infeasible {

    /** The plan to follow, or for an infeasible intent the best that could be done. */
    IntentPlan plan();

    /**
     * A plan within every hard constraint.
     *
     * @param workload the workload to create: the plan's replica count, the application, the goal's
     *                 restart policy and the required regions as a placement constraint, so the
     *                 scheduler honours the hard region limit; the plan's node choices let a
     *                 controller check where the scheduler actually put the replicas
     */
    record Feasible(IntentPlan plan, WorkloadSpec workload) implements PlanResult {
        public Feasible {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(workload, "workload");
        }
    }

    /**
     * No plan meets the hard constraints.
     *
     * @param constraint   the field to relax, e.g. "max_cost_per_hour", "required_regions", "min_replicas",
     *                     "max_carbon_intensity", "application.resources", or "cluster" when no node is alive
     * @param detail       a sentence a person understands, naming the constraint and the numbers
     * @param bestPossible the plan with the most replicas the cluster allows within the other limits
     *                     (fewer than min_replicas; possibly none)
     */
    record Infeasible(String constraint, String detail, IntentPlan bestPossible) implements PlanResult {
        public Infeasible {
            Objects.requireNonNull(constraint, "constraint");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(bestPossible, "bestPossible");
        }

        @Override
        public IntentPlan plan() {
            return bestPossible;
        }
    }
}
