package dev.hypha.server.intent;

import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentApplication;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import java.util.List;
import java.util.TreeSet;

/**
 * The workload spec an intent's plan stands for: the application, the plan's replica count, the
 * goal's restart policy, and the plan's regions as the workload's placement regions.
 *
 * <p>Stated once, so the API that creates the workload and the controller that keeps it in line
 * derive the same spec, and the controller writes only when the stored spec differs from it.
 * Regions are the plan's (sorted, so an equal plan gives an equal spec) rather than only the
 * required ones: the scheduler then keeps every replica inside what the plan chose even when it
 * must place one outside the plan's nodes. A plan without placements falls back to the required
 * regions (empty = any).
 */
public final class OwnedWorkload {
    private OwnedWorkload() {}

    public static WorkloadSpec specFor(Intent intent) {
        return specFor(intent.spec(), intent.workload(), intent.plan());
    }

    public static WorkloadSpec specFor(IntentSpec spec, String workload, IntentPlan plan) {
        IntentApplication app = spec.application();
        List<String> regions = plan.placements().isEmpty()
                ? spec.constraints().requiredRegions()
                : List.copyOf(new TreeSet<>(plan.regions()));
        return new WorkloadSpec(workload, app.image(), app.command(), plan.replicas(), app.resources(),
                spec.intent().restartPolicy(), spec.member(), app.env(), new PlacementConstraints(false, regions));
    }
}
