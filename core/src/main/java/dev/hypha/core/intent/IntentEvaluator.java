package dev.hypha.core.intent;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges whether the cluster keeps an intent true, and whether its plan should be made again.
 * Pure: the controller passes the snapshot and the instances, and acts on the answer.
 *
 * <p>Status, first match wins:
 * <ol>
 *   <li>{@code unsatisfiable} when no plan can meet the hard constraints on the snapshot
 *       ({@link IntentPlanner#replan}, which counts the intent's own replicas as free): why is the
 *       planner's detail.</li>
 *   <li>{@code degraded} when what runs falls short of the plan: fewer replicas running than
 *       planned (a batch job's replicas that exited 0 count as done), more than planned, replicas
 *       on lost nodes, replicas sharing a node in a highly available service, or running replicas
 *       outside the required regions, above the carbon cap or above the budget. Why lists each.</li>
 *   <li>{@code satisfied} otherwise.</li>
 * </ol>
 *
 * <p>Re-plan when a node the plan uses or that hosts a replica is dead, has left or is gone; when
 * the planned nodes' prices now exceed the budget or their carbon intensity the cap; or when a plan
 * made now is clearly better: more replicas for a highly available service, or at least
 * {@link #IMPROVEMENT_THRESHOLD} cheaper (not dirtier, when ecology matters) or, under an
 * ecological priority, that much greener, with no fewer regions and preferred placements. A batch
 * job is re-planned only when it must be (a lost node, the budget, the carbon cap), never to save:
 * a move restarts it from the beginning.
 */
public final class IntentEvaluator {
    /**
     * A re-plan moves replicas, which restarts them: it must save at least 10 % of the cost or the
     * CO2 to be worth it, and the margin keeps two near-equal nodes from trading places forever.
     */
    public static final double IMPROVEMENT_THRESHOLD = 0.10;

    private static final int LISTED_INSTANCES = 3;

    private IntentEvaluator() {}

    /**
     * @param instances the instances of the intent's workload; instances of other workloads and
     *                  instances being stopped are ignored
     */
    public static IntentEvaluation evaluate(Intent intent, ClusterSnapshot cluster, List<Instance> instances) {
        Map<String, NodeSnapshot> nodes = cluster.nodes().stream()
                .collect(Collectors.toMap(NodeSnapshot::id, Function.identity(), (a, b) -> a));
        List<Instance> own = instances.stream()
                .filter(i -> i.workload().equals(intent.workload()) && i.desired() == DesiredState.RUN)
                .sorted(Comparator.comparing(Instance::id))
                .toList();
        PlanResult fresh = IntentPlanner.replan(intent, cluster);
        List<ReplanReason> reasons = replanReasons(intent, nodes, own, fresh);
        if (fresh instanceof PlanResult.Infeasible infeasible) {
            return new IntentEvaluation(IntentStatus.UNSATISFIABLE, infeasible.detail(), reasons, fresh);
        }
        List<String> problems = shortfalls(intent, nodes, own);
        return problems.isEmpty()
                ? new IntentEvaluation(IntentStatus.SATISFIED, null, reasons, fresh)
                : new IntentEvaluation(IntentStatus.DEGRADED, String.join("; ", problems), reasons, fresh);
    }

    // ---- re-plan -----------------------------------------------------------------------------

    private static List<ReplanReason> replanReasons(Intent intent, Map<String, NodeSnapshot> nodes,
                                                    List<Instance> own, PlanResult fresh) {
        IntentPlan plan = intent.plan();
        IntentConstraints limits = intent.spec().constraints();
        Resources request = intent.spec().application().resources();
        List<ReplanReason> reasons = new ArrayList<>();

        // 1. Lost nodes: the plan's, then those that host an active replica.
        Set<String> hosting = new LinkedHashSet<>(plan.nodeIds());
        own.stream().filter(Instance::isActive).map(Instance::nodeId).sorted().forEach(hosting::add);
        for (String id : hosting) {
            String lost = lostWhy(nodes.get(id));
            if (lost != null) reasons.add(new ReplanReason.NodeLost(id, lost));
        }
        boolean planIntact = plan.nodeIds().stream().allMatch(id -> lostWhy(nodes.get(id)) == null);

        // 2. The plan at today's prices and carbon intensities, on the nodes it still has.
        double cost = 0;
        double co2 = 0;
        for (PlannedPlacement p : plan.placements()) {
            NodeSnapshot n = nodes.get(p.nodeId());
            if (lostWhy(n) != null) continue;
            ReplicaFootprint f = ReplicaFootprint.of(n.node(), request);
            cost += f.costPerHour();
            co2 += f.co2GramsPerHour();
        }
        if (!limits.withinBudget(cost)) reasons.add(new ReplanReason.OverBudget(cost, limits.maxCostPerHour()));
        for (String id : plan.nodeIds()) {
            NodeSnapshot n = nodes.get(id);
            if (lostWhy(n) == null && !limits.allowsCarbonIntensity(n.node().carbonIntensity())) {
                reasons.add(new ReplanReason.CarbonCapExceeded(id, n.node().carbonIntensity(),
                        limits.maxCarbonIntensity()));
            }
        }

        // 3. A clearly better plan, judged only against an intact plan within its limits. A batch job
        //    is never moved for a better price: moving it would throw away the work it has done.
        boolean movable = intent.spec().intent() != IntentGoal.DEPLOY_BATCH_JOB;
        if (reasons.isEmpty() && planIntact && movable && fresh instanceof PlanResult.Feasible feasible) {
            String better = betterBy(intent, feasible.plan(), cost, co2);
            if (better != null) reasons.add(new ReplanReason.BetterPlanAvailable(better));
        }
        return reasons;
    }

    /** Why a node can no longer host a replica, or null when it still can. */
    private static String lostWhy(NodeSnapshot n) {
        if (n == null) return "is no longer in the cluster";
        if (n.node().capacity().cpuMillicores() == 0 || n.node().capacity().memoryMb() == 0) {
            return "reports no cpu or memory capacity";
        }
        return switch (n.node().state()) {
            case DEAD -> "is dead";
            case LEFT -> "has left the cluster";
            case ALIVE, SUSPECT -> null;
        };
    }

    /** Why {@code candidate} beats the current plan (priced now at {@code cost}, {@code co2}), or null. */
    private static String betterBy(Intent intent, IntentPlan candidate, double cost, double co2) {
        IntentPlan plan = intent.plan();
        IntentConstraints limits = intent.spec().constraints();
        boolean spread = intent.spec().intent().spreadsReplicas();
        if (spread && candidate.replicas() > plan.replicas()) {
            return Describe.replicas(candidate.replicas()) + " fit the constraints now; the plan has "
                    + plan.replicas();
        }
        if (candidate.replicas() != plan.replicas()) return null;
        if (spread && candidate.regions().size() < plan.regions().size()) return null;
        if (inPreferredRegions(candidate, limits) < inPreferredRegions(plan, limits)) return null;
        boolean ecological = limits.ecologicalPriority() != EcologicalPriority.NONE;
        // Strict improvements only: nothing is 10 % cheaper than free, or 10 % greener than zero.
        boolean cheaper = cost > 0 && candidate.estimatedCostPerHour() <= cost * (1 - IMPROVEMENT_THRESHOLD)
                && (!ecological || candidate.estimatedCo2GramsPerHour() <= co2 * (1 + 1e-9));
        if (cheaper) {
            return "cheaper nodes: " + Describe.money(candidate.estimatedCostPerHour()) + " per hour instead of "
                    + Describe.money(cost) + " on " + candidate.nodeIds();
        }
        if (ecological && co2 > 0 && candidate.estimatedCo2GramsPerHour() <= co2 * (1 - IMPROVEMENT_THRESHOLD)) {
            return "greener nodes: " + Describe.number(candidate.estimatedCo2GramsPerHour())
                    + " g CO2 per hour instead of " + Describe.number(co2) + " on " + candidate.nodeIds();
        }
        return null;
    }

    private static long inPreferredRegions(IntentPlan plan, IntentConstraints limits) {
        return plan.placements().stream().filter(p -> limits.prefersRegion(p.region())).count();
    }

    // ---- status ------------------------------------------------------------------------------

    /** What falls short of the plan and the constraints among the running replicas, one sentence each. */
    private static List<String> shortfalls(Intent intent, Map<String, NodeSnapshot> nodes, List<Instance> own) {
        IntentConstraints limits = intent.spec().constraints();
        int planned = intent.plan().replicas();
        boolean batch = intent.spec().intent() == IntentGoal.DEPLOY_BATCH_JOB;
        List<String> problems = new ArrayList<>();

        List<Instance> running = new ArrayList<>();
        List<Instance> completed = new ArrayList<>();
        List<String> notRunning = new ArrayList<>();
        for (Instance i : own) {
            NodeSnapshot n = nodes.get(i.nodeId());
            String lost = lostWhy(n);
            if (batch && i.state() == InstanceState.STOPPED && Integer.valueOf(0).equals(i.exitCode())) {
                completed.add(i);
            } else if (lost != null && i.isActive()) {
                notRunning.add(i.id() + " on node " + i.nodeId() + ", which " + lost);
            } else if (i.state() == InstanceState.RUNNING) {
                running.add(i);
            } else if (i.isActive() || i.state() == InstanceState.FAILED) {
                notRunning.add(i.id() + " " + i.state().wire() + " on " + i.nodeId()
                        + (i.message() == null ? "" : " (" + i.message() + ")"));
            }
        }

        // 1. Replica count.
        int done = running.size() + completed.size();
        if (done < planned) {
            String counted = running.size() + " of " + planned + " replicas running"
                    + (completed.isEmpty() ? "" : ", " + completed.size() + " completed");
            problems.add(notRunning.isEmpty() ? counted : counted + ": " + listed(notRunning));
        } else if (running.size() > planned) {
            problems.add(running.size() + " replicas running; the plan has " + planned);
        }

        // 2. Where the running replicas are.
        if (intent.spec().intent().spreadsReplicas()) {
            Map<String, Long> perNode = running.stream()
                    .collect(Collectors.groupingBy(Instance::nodeId, TreeMap::new, Collectors.counting()));
            perNode.forEach((node, count) -> {
                if (count > 1) {
                    problems.add(count + " replicas share node " + node
                            + ", but a highly available service needs each on its own node");
                }
            });
        }
        double cost = 0;
        for (Instance i : running) {
            NodeSnapshot n = nodes.get(i.nodeId());
            if (!limits.allowsRegion(n.node().region())) {
                problems.add(i.id() + " runs on " + n.id() + " in " + n.node().region() + ", outside required_regions "
                        + limits.requiredRegions());
            }
            if (!limits.allowsCarbonIntensity(n.node().carbonIntensity())) {
                problems.add(i.id() + " runs on " + n.id() + " at " + Describe.number(n.node().carbonIntensity())
                        + " g/kWh, above max_carbon_intensity " + Describe.number(limits.maxCarbonIntensity()));
            }
            Resources request = i.spec() != null ? i.spec().resources() : intent.spec().application().resources();
            cost += ReplicaFootprint.of(n.node(), request).costPerHour();
        }
        if (!limits.withinBudget(cost)) {
            problems.add("the running replicas cost " + Describe.money(cost) + " per hour, above max_cost_per_hour "
                    + Describe.money(limits.maxCostPerHour()));
        }
        return problems;
    }

    private static String listed(List<String> items) {
        if (items.size() <= LISTED_INSTANCES) return String.join(", ", items);
        return String.join(", ", items.subList(0, LISTED_INSTANCES)) + " and " + (items.size() - LISTED_INSTANCES)
                + " more";
    }
}
