package dev.hypha.server.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import java.time.Instant;

/**
 * An intent as the API answers with it: INTERFACES.md's IntentResponse ({@code id, status,
 * workload, plan}) plus the goal, why the status is not satisfied, the plan's generation, the spec
 * as stored (every default filled in) and the timestamps.
 *
 * <p>A dry run answers with the same shape, without id, status or timestamps, and
 * {@code dry_run: true}: nothing was stored, so nothing has a status yet.
 *
 * @param intent     the goal, e.g. {@code deploy_highly_available_service}
 * @param why        why the status is not satisfied; absent when it is
 * @param generation grows by one with every re-plan
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntentResponse(
        String id,
        IntentGoal intent,
        IntentStatus status,
        String why,
        String workload,
        IntentPlan plan,
        Long generation,
        IntentSpec spec,
        Instant createdAt,
        Instant updatedAt,
        Boolean dryRun) {

    public static IntentResponse of(Intent i) {
        return new IntentResponse(i.id(), i.spec().intent(), i.status(), i.why(), i.workload(), i.plan(),
                i.generation(), i.spec(), i.createdAt(), i.updatedAt(), null);
    }

    public static IntentResponse dryRun(IntentSpec spec, IntentPlan plan) {
        return new IntentResponse(null, spec.intent(), null, null, spec.name(), plan, null, spec, null, null, true);
    }
}
