package dev.hypha.core.intent;

import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.spi.ClusterSnapshot;

/**
 * Turns an intent into a plan: how many replicas, on which nodes, at what cost and carbon, and the
 * workload spec that carries it out; or names the constraint that cannot be met. Pure and
 * deterministic: the same spec and snapshot give the same answer whatever the order of the nodes.
 *
 * <p>The rules, in the order they apply:
 * <ol>
 *   <li>Candidates are the ALIVE nodes in {@code required_regions} (any region when empty) whose
 *       carbon intensity is at most {@code max_carbon_intensity}, with room for at least one
 *       replica in their free cpu, memory and disk. A highly available service takes one replica
 *       per node; the other goals may stack several on one node.</li>
 *   <li>Each replica is priced by {@link ReplicaFootprint}: the node's price times the share of the
 *       node it takes, and CO2 from the node's power profile and grid carbon intensity.</li>
 *   <li>Replica count: a highly available service gets the most replicas up to
 *       {@code max_replicas} that the candidates and the budget allow (the budget allows n when the
 *       n cheapest possible replicas fit in it); a cost-optimized service and a batch job get
 *       {@code min_replicas}, the fewest allowed. Fewer than {@code min_replicas} is infeasible:
 *       the answer names the limiting constraint and carries the best possible plan.</li>
 *   <li>Nodes are picked one replica (or, when stacking, one node) at a time, in the order:
 *       preferred regions first; for a highly available service, a region not yet used first; then
 *       the {@link NodeRanking} score of the ecological priority; then node id. A pick is taken only
 *       if the cheapest way to place the remaining replicas still fits the budget, so a green but
 *       dear node is used as far as the budget allows and no further.</li>
 *   <li>Preferences the plan could not honour (preferred regions, spread over regions, a highly
 *       available service short of {@code max_replicas}) are listed with why.</li>
 * </ol>
 *
 * <p>The totals of the plan are the sums of its placements ({@link dev.hypha.model.intent.IntentPlan#of}).
 */
public final class IntentPlanner {
    private IntentPlanner() {}

    /**
     * Plans a new intent on {@code cluster}. The snapshot's allocations are taken as they are: every
     * replica already running, whichever workload it belongs to, keeps its resources.
     */
    public static PlanResult plan(IntentSpec spec, ClusterSnapshot cluster) {
        return new Planning(spec, spec.name(), null, null, cluster).run();
    }

    /**
     * Plans an existing intent again, as if its own workload's replicas were not running: the
     * resources they hold (their count per node, from the snapshot, times the intent's request)
     * count as free, since the new plan replaces them. The workload keeps its name.
     */
    public static PlanResult replan(Intent intent, ClusterSnapshot cluster) {
        return new Planning(intent.spec(), intent.workload(), intent.workload(),
                intent.spec().application().resources(), cluster).run();
    }

    /**
     * Plans a changed spec for an existing intent: as {@link #replan}, the resources its running
     * replicas hold (each the request of the spec they were started with) count as free, and the
     * workload keeps the intent's name whatever {@code changed} names.
     */
    public static PlanResult respecify(Intent intent, IntentSpec changed, ClusterSnapshot cluster) {
        return new Planning(changed, intent.workload(), intent.workload(), intent.spec().application().resources(),
                cluster).run();
    }
}
