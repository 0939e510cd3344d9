package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored intent: what was asked, the workload it owns, its current plan and whether the cluster
 * keeps it true (the IntentResponse of INTERFACES.md, plus the spec and bookkeeping).
 *
 * <p>{@code generation} counts plans: it starts at 1 and grows by one each time the intent is
 * re-planned. Status changes do not bump it.
 *
 * @param workload the name of the workload this intent created and keeps in line with its plan
 * @param why      why the status is not satisfied; null when it is
 * @param plan     the plan the workload follows now
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Intent(
        String id,
        IntentStatus status,
        String why,
        String workload,
        IntentPlan plan,
        IntentSpec spec,
        long generation,
        Instant createdAt,
        Instant updatedAt) {

    public Intent {
        Validation.nonBlank("id", id);
        if (status == null) throw new InvalidSpecException("status is required");
        if (status == IntentStatus.SATISFIED) {
            why = null;
        } else if (why == null || why.isBlank()) {
            throw new InvalidSpecException("an intent that is " + status.wire() + " must say why");
        }
        Validation.name("workload", workload);
        if (plan == null) throw new InvalidSpecException("plan is required");
        if (spec == null) throw new InvalidSpecException("spec is required");
        if (generation < 1) throw new InvalidSpecException("generation must be at least 1");
    }

    /** A new intent for its first plan; its workload takes the spec's name. */
    public static Intent create(String id, IntentSpec spec, IntentPlan plan, IntentStatus status, String why,
                                Instant now) {
        return new Intent(id, status, why, spec.name(), plan, spec, 1, now, now);
    }

    /** The same intent following a new plan (the next generation). */
    public Intent replanned(IntentPlan newPlan, IntentStatus newStatus, String newWhy, Instant now) {
        return new Intent(id, newStatus, newWhy, workload, newPlan, spec, generation + 1, createdAt, now);
    }

    /**
     * The same intent (id, workload) asking for something else, with the plan made for it: the
     * next generation. The workload keeps its name whatever {@code newSpec} names.
     */
    public Intent respecified(IntentSpec newSpec, IntentPlan newPlan, IntentStatus newStatus, String newWhy,
                              Instant now) {
        return new Intent(id, newStatus, newWhy, workload, newPlan, newSpec.withName(workload), generation + 1,
                createdAt, now);
    }

    /** The same intent and plan with a new status; unchanged (the same object) when nothing changed. */
    public Intent withStatus(IntentStatus newStatus, String newWhy, Instant now) {
        String normalized = newStatus == IntentStatus.SATISFIED ? null : newWhy;
        if (newStatus == status && Objects.equals(normalized, why)) return this;
        return new Intent(id, newStatus, newWhy, workload, plan, spec, generation, createdAt, now);
    }
}
