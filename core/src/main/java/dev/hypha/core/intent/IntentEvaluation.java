package dev.hypha.core.intent;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.intent.IntentStatus;
import java.util.List;
import java.util.Objects;

/**
 * The evaluator's verdict on one intent: its status with why, whether to plan it again and why,
 * and the plan made on the current snapshot (so the controller need not plan twice).
 *
 * @param why           why the status is not satisfied; null when it is
 * @param replanReasons empty when the current plan should stay
 * @param freshPlan     {@link IntentPlanner#replan} on the same snapshot
 */
public record IntentEvaluation(IntentStatus status, String why, List<ReplanReason> replanReasons,
                               PlanResult freshPlan) {
    public IntentEvaluation {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(freshPlan, "freshPlan");
        if (status == IntentStatus.SATISFIED) {
            why = null;
        } else if (why == null || why.isBlank()) {
            throw new InvalidSpecException("an evaluation that is " + status.wire() + " must say why");
        }
        replanReasons = List.copyOf(replanReasons);
    }

    public boolean replanNeeded() {
        return !replanReasons.isEmpty();
    }
}
