package dev.hypha.core.intent;

import static dev.hypha.core.intent.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.model.intent.IntentApplication;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's rules as properties over random clusters and intents: every plan stays within the
 * hard constraints, its numbers add up, its replica count is the one the goal asks for, a refusal
 * is a real one, the answer does not depend on the order of the nodes, and a plan that runs as
 * planned is judged satisfied with nothing to re-plan.
 */
class IntentPlannerPropertyTest {
    private static final List<String> REGIONS = List.of("eu-west", "us-east", "us-west", "ap-south");

    static Stream<Long> seeds() {
        return LongStream.range(0, 400).map(i -> 0x1D7E47L * 1_000 + i).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyPlanKeepsTheRules(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        ClusterSnapshot cluster = randomCluster(random);
        IntentSpec spec = randomSpec(random);
        try {
            check(spec, cluster, random);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + " (" + spec + "): " + e.getMessage(), e);
        }
    }

    private static void check(IntentSpec spec, ClusterSnapshot cluster, RandomGenerator random) {
        IntentConstraints limits = spec.constraints();
        Resources request = spec.application().resources();
        boolean spread = spec.intent().spreadsReplicas();
        PlanResult result = IntentPlanner.plan(spec, cluster);

        // The order of the nodes does not matter.
        List<NodeSnapshot> shuffled = new ArrayList<>(cluster.nodes());
        Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
        assertThat(IntentPlanner.plan(spec, new ClusterSnapshot(shuffled, Map.of(), 1))).isEqualTo(result);

        // Whatever the answer, its plan keeps the hard limits and adds up.
        IntentPlan plan = result.plan();
        Map<String, NodeSnapshot> byId = new HashMap<>();
        cluster.nodes().forEach(n -> byId.put(n.id(), n));
        Map<String, Integer> perNode = new HashMap<>();
        for (PlannedPlacement p : plan.placements()) {
            NodeSnapshot n = byId.get(p.nodeId());
            assertThat(n.node().state()).isEqualTo(NodeState.ALIVE);
            assertThat(limits.allowsRegion(n.node().region())).as("%s in required regions", p.nodeId()).isTrue();
            assertThat(limits.allowsCarbonIntensity(n.node().carbonIntensity())).as("%s under cap", p.nodeId()).isTrue();
            ReplicaFootprint f = ReplicaFootprint.of(n.node(), request);
            assertThat(p.costPerHour()).isEqualTo(f.costPerHour());
            assertThat(p.co2GramsPerHour()).isEqualTo(f.co2GramsPerHour());
            assertThat(p.region()).isEqualTo(n.node().region());
            perNode.merge(p.nodeId(), 1, Integer::sum);
        }
        perNode.forEach((id, count) -> {
            assertThat(slots(byId.get(id), request, false)).as("room on %s", id).isGreaterThanOrEqualTo(count);
            if (spread) assertThat(count).as("replicas on %s", id).isEqualTo(1);
        });
        double cost = 0;
        double co2 = 0;
        for (PlannedPlacement p : plan.placements()) {
            cost += p.costPerHour();
            co2 += p.co2GramsPerHour();
        }
        assertThat(plan.estimatedCostPerHour()).isEqualTo(cost);
        assertThat(plan.estimatedCo2GramsPerHour()).isEqualTo(co2);
        assertThat(limits.withinBudget(plan.estimatedCostPerHour())).as("within budget").isTrue();

        // The replica count, checked against an independent count of room and budget.
        List<Double> slotCosts = new ArrayList<>();
        for (NodeSnapshot n : cluster.nodes()) {
            if (n.node().state() != NodeState.ALIVE || !limits.allowsRegion(n.node().region())
                    || !limits.allowsCarbonIntensity(n.node().carbonIntensity())) continue;
            long slots = slots(n, request, spread);
            for (long i = 0; i < Math.min(slots, 50); i++) slotCosts.add(ReplicaFootprint.of(n.node(), request).costPerHour());
        }
        slotCosts.sort(Comparator.naturalOrder());
        int min = limits.minReplicas();
        switch (result) {
            case PlanResult.Feasible feasible -> {
                assertThat(plan.replicas()).isBetween(min, limits.maxReplicas());
                assertThat(feasible.workload().replicas()).isEqualTo(plan.replicas());
                assertThat(feasible.workload().placement().regions()).isEqualTo(limits.requiredRegions());
                assertRunningAsPlannedIsSatisfied(spec, cluster, plan);
                if (!spread) {
                    assertThat(plan.replicas()).isEqualTo(min);
                } else if (plan.replicas() < limits.maxReplicas()) {
                    // One more replica would not fit: no node left, or the cheapest n+1 exceed the budget.
                    int more = plan.replicas() + 1;
                    assertThat(slotCosts.size() < more || !limits.withinBudget(sum(slotCosts, more)))
                            .as("a highly available service takes as many replicas as allowed").isTrue();
                }
            }
            case PlanResult.Infeasible infeasible -> {
                assertThat(plan.replicas()).isLessThan(min);
                assertThat(slotCosts.size() < min || !limits.withinBudget(sum(slotCosts, min)))
                        .as("refused only when min_replicas cannot fit: %s", infeasible.detail()).isTrue();
                assertThat(infeasible.constraint()).isIn("cluster", "required_regions", "max_carbon_intensity",
                        "application.resources", "min_replicas", "max_cost_per_hour");
                assertThat(infeasible.detail()).isNotBlank();
            }
        }
    }

    /**
     * Once the plan runs exactly as planned, the evaluator is content: satisfied, and a plan made
     * again on that cluster (the intent's own replicas counted as free) finds nothing better.
     */
    private static void assertRunningAsPlannedIsSatisfied(IntentSpec spec, ClusterSnapshot before, IntentPlan plan) {
        Intent intent = Intent.create("i-1", spec, plan, IntentStatus.SATISFIED, null, Fixtures.T0);
        Map<String, Integer> perNode = new HashMap<>();
        plan.placements().forEach(p -> perNode.merge(p.nodeId(), 1, Integer::sum));
        List<NodeSnapshot> after = before.nodes().stream().map(n -> {
            int count = perNode.getOrDefault(n.id(), 0);
            if (count == 0) return n;
            return new NodeSnapshot(n.node(), n.allocated().plus(spec.application().resources().times(count)),
                    Map.of(intent.workload(), count), n.reputation());
        }).toList();
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < plan.placements().size(); i++) {
            instances.add(new Instance(intent.workload() + "-" + i, intent.workload(), 1,
                    plan.placements().get(i).nodeId(), DesiredState.RUN, InstanceState.RUNNING, null, null, 0,
                    Fixtures.T0, Fixtures.T0, null, null, null, null));
        }

        IntentEvaluation evaluation = IntentEvaluator.evaluate(intent, new ClusterSnapshot(after, Map.of(), 2), instances);

        assertThat(evaluation.status()).as("status (%s)", evaluation.why()).isEqualTo(IntentStatus.SATISFIED);
        assertThat(evaluation.replanReasons()).isEmpty();
        assertThat(evaluation.freshPlan().plan()).isEqualTo(plan);
    }

    private static double sum(List<Double> sortedCosts, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += sortedCosts.get(i);
        return s;
    }

    private static long slots(NodeSnapshot n, Resources request, boolean spread) {
        Resources free = n.free();
        long slots = Math.min(free.cpuMillicores() / request.cpuMillicores(), free.memoryMb() / request.memoryMb());
        if (request.diskMb() > 0) slots = Math.min(slots, free.diskMb() / request.diskMb());
        return spread ? Math.min(slots, 1) : slots;
    }

    private static ClusterSnapshot randomCluster(RandomGenerator random) {
        int count = random.nextInt(0, 13);
        List<NodeSnapshot> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long cpu = 1000L << random.nextInt(0, 4);
            long memory = 1024L << random.nextInt(0, 5);
            NodeState state = random.nextInt(10) < 8 ? NodeState.ALIVE
                    : NodeState.values()[random.nextInt(1, NodeState.values().length)];
            double idle = random.nextInt(0, 100);
            nodes.add(node("n" + i)
                    .region(REGIONS.get(random.nextInt(REGIONS.size())))
                    .state(state)
                    .capacity(cpu, memory)
                    .allocated(random.nextLong(0, cpu + 1), random.nextLong(0, memory + 1))
                    .cost(random.nextInt(0, 100) / 100.0)
                    .carbon(random.nextInt(0, 600))
                    .power(idle, idle + random.nextInt(0, 300))
                    .ecologicalBalance(random.nextInt(0, 11) / 10.0)
                    .build());
        }
        return new ClusterSnapshot(nodes, Map.of(), 1);
    }

    private static IntentSpec randomSpec(RandomGenerator random) {
        IntentGoal goal = IntentGoal.values()[random.nextInt(IntentGoal.values().length)];
        int lowest = goal.spreadsReplicas() ? 2 : 1;
        Integer min = random.nextBoolean() ? random.nextInt(lowest, lowest + 4) : null;
        Integer max = random.nextBoolean() ? (min == null ? lowest : min) + random.nextInt(0, 4) : null;
        Double budget = random.nextBoolean() ? random.nextInt(0, 200) / 1000.0 : null;
        List<String> required = random.nextInt(3) == 0 ? pick(random, REGIONS) : List.of();
        List<String> preferred = random.nextBoolean() ? pick(random, required.isEmpty() ? REGIONS : required) : List.of();
        EcologicalPriority ecology = EcologicalPriority.values()[random.nextInt(EcologicalPriority.values().length)];
        Double carbonCap = random.nextInt(3) == 0 ? (double) random.nextInt(0, 600) : null;
        Resources request = new Resources(new long[] {100, 250, 500, 1000}[random.nextInt(4)],
                new long[] {64, 128, 512, 1024}[random.nextInt(4)], random.nextInt(4) == 0 ? 1024 : 0);
        return new IntentSpec(goal, "app", new IntentConstraints(min, max, budget, preferred, required, ecology,
                carbonCap), new IntentApplication("busybox", null, null, request), null, false);
    }

    private static List<String> pick(RandomGenerator random, List<String> from) {
        List<String> picked = new ArrayList<>();
        for (String s : from) {
            if (random.nextBoolean()) picked.add(s);
        }
        return picked.isEmpty() ? List.of(from.get(random.nextInt(from.size()))) : picked;
    }
}
