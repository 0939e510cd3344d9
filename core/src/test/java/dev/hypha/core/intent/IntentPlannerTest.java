package dev.hypha.core.intent;

import static dev.hypha.core.intent.Fixtures.batch;
import static dev.hypha.core.intent.Fixtures.cheap;
import static dev.hypha.core.intent.Fixtures.cluster;
import static dev.hypha.core.intent.Fixtures.ha;
import static dev.hypha.core.intent.Fixtures.limits;
import static dev.hypha.core.intent.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.model.NodeState;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.ClusterSnapshot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IntentPlannerTest {

    /** What a case expects: a plan on these nodes with exactly these unmet preferences, or a refusal. */
    sealed interface Expect permits Plans, Refuses {}

    record Plans(List<String> nodeIds, List<String> unmet) implements Expect {
        Plans unmet(String... preferenceAndWhy) {
            return new Plans(nodeIds, List.of(preferenceAndWhy));
        }
    }

    record Refuses(String constraint, String detail, int bestReplicas) implements Expect {}

    record Case(String name, IntentSpec spec, ClusterSnapshot cluster, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Plans plans(String... nodeIds) {
        return new Plans(List.of(nodeIds), List.of());
    }

    static Refuses refuses(String constraint, String detail, int bestReplicas) {
        return new Refuses(constraint, detail, bestReplicas);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Highly available service.
                new Case("ha spreads replicas over nodes and regions", ha(null),
                        cluster(node("n1"), node("n2"), node("n3").region("us-east")),
                        plans("n1", "n3", "n2")),
                new Case("ha takes as many replicas as the budget allows, up to max_replicas",
                        ha(limits().max(5).budget(0.05).build()),
                        cluster(node("n1"), node("n2"), node("n3"), node("n4"), node("n5")),
                        plans("n1", "n2", "n3").unmet(
                                "max_replicas: 3 of max_replicas 5: max_cost_per_hour 0.05 allows at most 3 replicas",
                                "region_spread: every replica is in eu-west: no other region has an alive node with"
                                        + " 500m cpu and 512Mi free")),
                new Case("ha stops at max_replicas", ha(limits().max(3).build()),
                        cluster(node("n1"), node("n2"), node("n3").region("us-east"), node("n4").region("us-east")),
                        plans("n1", "n3", "n2")),
                new Case("ha short of max_replicas for lack of nodes", ha(null),
                        cluster(node("n1"), node("n2").region("us-east")),
                        plans("n1", "n2").unmet("max_replicas: 2 of max_replicas 3: only 2 alive nodes have 500m cpu"
                                + " and 512Mi free, and each replica needs its own node")),
                new Case("ha needs a node per replica", ha(null),
                        cluster(node("n1").capacity(64000, 65536)),
                        refuses("min_replicas", "min_replicas is 2 but only 1 alive node has 500m cpu and 512Mi free,"
                                + " and deploy_highly_available_service puts each replica on its own node", 1)),
                new Case("ha budget too small for min_replicas", ha(limits().min(3).budget(1.0).build()),
                        cluster(node("n1").cost(4), node("n2").cost(4), node("n3").cost(4)),
                        refuses("max_cost_per_hour", "max_cost_per_hour 1.00 allows at most 2 replicas; min_replicas"
                                + " is 3 (the cheapest 3 cost 1.50 per hour)", 2)),
                new Case("ha with min_replicas equal to max_replicas", ha(limits().min(2).max(2).build()),
                        cluster(node("n1"), node("n2"), node("n3").region("us-east")),
                        plans("n1", "n3")),

                // Cost-optimized service and batch job.
                new Case("cost-optimized stacks the fewest replicas on the cheapest node", cheap(limits().min(2).build()),
                        cluster(node("n1"), node("n2").cost(0.06)),
                        plans("n2", "n2")),
                new Case("cost-optimized takes min_replicas even when max_replicas allows more",
                        cheap(limits().min(1).max(5).build()),
                        cluster(node("n1"), node("n2").cost(0.06)),
                        plans("n2")),
                new Case("cost-optimized spills to the next cheapest node when the cheapest is full",
                        cheap(limits().min(3).build()),
                        cluster(node("n1"), node("n2").cost(0.06).allocated(3000, 0)),
                        plans("n2", "n2", "n1")),
                new Case("cost-optimized without room for min_replicas", cheap(limits().min(20).build()),
                        cluster(node("n1"), node("n2")),
                        refuses("min_replicas", "min_replicas is 20 but the alive nodes have room for only 16"
                                + " replicas of 500m cpu and 512Mi", 16)),
                new Case("batch job runs one replica", batch(null),
                        cluster(node("n1"), node("n2").cost(0.06)),
                        plans("n2")),
                new Case("batch job runs min_replicas", batch(limits().min(3).build()),
                        cluster(node("n1"), node("n2").cost(0.06)),
                        plans("n2", "n2", "n2")),

                // Regions.
                new Case("required_regions is a hard filter", ha(limits().max(2).required("us-east").build()),
                        cluster(node("n1").cost(0.01), node("n2").region("us-east"), node("n3").region("us-east")),
                        plans("n2", "n3")),
                new Case("no alive node in required_regions", cheap(limits().required("ap-south").build()),
                        cluster(node("n1"), node("n2").region("us-east"), node("n3").region("ap-south")
                                .state(NodeState.DEAD)),
                        refuses("required_regions", "no alive node is in required_regions [ap-south]; alive nodes"
                                + " are in [eu-west, us-east]", 0)),
                new Case("required region nodes too small while others have room",
                        cheap(limits().required("eu-west").build()),
                        cluster(node("n1").allocated(3750, 0), node("n2").region("us-east")),
                        refuses("required_regions", "no alive node in required_regions [eu-west] has 500m cpu and"
                                + " 512Mi free; the most free is 250m cpu and 8Gi on n1", 0)),
                new Case("a preferred region wins over a lower price", cheap(limits().preferred("us-west").build()),
                        cluster(node("n1").cost(0.06), node("n2").region("us-west")),
                        plans("n2")),
                new Case("a preferred region without room is reported", cheap(limits().min(2).preferred("us-west").build()),
                        cluster(node("n1").cost(0.06), node("n2").region("us-west").allocated(3500, 0)),
                        plans("n2", "n1").unmet("preferred_regions: 1 of 2 replicas runs outside preferred_regions"
                                + " [us-west]: their nodes have room for only 1 replica")),
                new Case("ha covers every preferred region before any other",
                        ha(limits().preferred("us-west", "us-east").build()),
                        cluster(node("n1").region("us-west"), node("n2").region("us-west"),
                                node("n3").region("us-east"), node("n4")),
                        plans("n1", "n3", "n2")),
                new Case("ha reports a preferred region with no room and replicas outside",
                        ha(limits().preferred("us-west", "us-east").build()),
                        cluster(node("n1").region("us-west"), node("n2").region("us-west"), node("n3"),
                                node("n4").region("us-east").allocated(4000, 0)),
                        plans("n1", "n2", "n3").unmet(
                                "preferred_regions: 1 of 3 replicas runs outside preferred_regions [us-west, us-east]:"
                                        + " their nodes have room for only 2 replicas, one per node",
                                "preferred_regions: us-east has no replica: no alive node there has 500m cpu and 512Mi"
                                        + " free")),
                new Case("ha spreads over fewer regions when the budget says so",
                        ha(limits().min(2).max(2).budget(0.04).build()),
                        cluster(node("n1"), node("n2"), node("n3").region("us-east").cost(0.4)),
                        plans("n1", "n2").unmet("region_spread: replicas span 1 of the 2 regions they could: more"
                                + " regions would exceed max_cost_per_hour 0.04")),

                // Carbon.
                new Case("max_carbon_intensity is a hard filter", cheap(limits().carbonCap(200).build()),
                        cluster(node("n1").cost(0.06).carbon(400), node("n2").carbon(150)),
                        plans("n2")),
                new Case("no node under the carbon cap", cheap(limits().carbonCap(100).build()),
                        cluster(node("n1"), node("n2").carbon(400)),
                        refuses("max_carbon_intensity", "no alive node has carbon_intensity at most 100 g/kWh; the"
                                + " lowest is 250 g/kWh on n1", 0)),
                new Case("the carbon cap leaves only full nodes", cheap(limits().carbonCap(200).build()),
                        cluster(node("n1").carbon(150).allocated(4000, 0), node("n2").carbon(400)),
                        refuses("max_carbon_intensity", "no alive node with carbon_intensity at most 200 g/kWh has"
                                + " 500m cpu and 512Mi free; the most free is 0m cpu and 8Gi on n1", 0)),

                // Ecological priority.
                new Case("without ecological priority the cheap dirty node wins", cheap(null),
                        cluster(node("n1").cost(0.06).carbon(400), node("n2").carbon(50)),
                        plans("n1")),
                new Case("prefer_low_carbon trades price for emissions",
                        cheap(limits().ecology(EcologicalPriority.PREFER_LOW_CARBON).build()),
                        cluster(node("n1").cost(0.06).carbon(400), node("n2").carbon(50)),
                        plans("n2")),
                new Case("prefer_low_carbon counts the node's power draw, not only the grid",
                        cheap(limits().ecology(EcologicalPriority.PREFER_LOW_CARBON).build()),
                        cluster(node("n1").carbon(200), node("n2").carbon(150).power(100, 500)),
                        plans("n1")),
                new Case("prefer_renewable_energy looks at the grid",
                        cheap(limits().ecology(EcologicalPriority.PREFER_RENEWABLE_ENERGY).build()),
                        cluster(node("n1").carbon(200), node("n2").carbon(150).power(100, 500)),
                        plans("n2")),
                new Case("prefer_renewable_energy weighs the ecological reputation",
                        cheap(limits().ecology(EcologicalPriority.PREFER_RENEWABLE_ENERGY).build()),
                        cluster(node("n1").carbon(100).ecologicalBalance(0.1), node("n2").carbon(100)
                                .ecologicalBalance(0.9)),
                        plans("n2")),
                new Case("a green node is used only as far as the budget allows",
                        cheap(limits().min(2).budget(0.06).ecology(EcologicalPriority.PREFER_LOW_CARBON).build()),
                        cluster(node("n1").cost(0.06).carbon(400), node("n2").cost(0.4).carbon(50)),
                        plans("n2", "n1")),

                // Ties and empty clusters.
                new Case("ties go to the lowest node id", cheap(null),
                        cluster(node("n3"), node("n1"), node("n2")),
                        plans("n1")),
                new Case("ha ties go to the lowest node ids", ha(limits().max(2).build()),
                        cluster(node("n3"), node("n2"), node("n1").region("us-east"), node("n4").region("us-east")),
                        plans("n1", "n2")),
                new Case("empty cluster", ha(null), cluster(),
                        refuses("cluster", "the cluster has no nodes", 0)),
                new Case("no alive node", cheap(null),
                        cluster(node("n1").state(NodeState.DEAD), node("n2").state(NodeState.SUSPECT),
                                node("n3").state(NodeState.DEAD)),
                        refuses("cluster", "no node is alive: 1 suspect, 2 dead", 0)),
                new Case("dead and left nodes are skipped, however cheap", cheap(null),
                        cluster(node("n1").state(NodeState.DEAD).cost(0), node("n2").state(NodeState.LEFT).cost(0),
                                node("n3")),
                        plans("n3")),
                new Case("nodes too small", cheap(null),
                        cluster(node("n2").capacity(250, 256), node("n1").capacity(250, 256)),
                        refuses("application.resources", "no alive node has 500m cpu and 512Mi free; the most free"
                                + " is 250m cpu and 256Mi on n1", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansAsTheTableSays(Case c) {
        PlanResult result = IntentPlanner.plan(c.spec(), c.cluster());
        switch (c.expect()) {
            case Plans p -> {
                assertThat(result).isInstanceOf(PlanResult.Feasible.class);
                IntentPlan plan = result.plan();
                assertThat(plan.placements()).extracting(PlannedPlacement::nodeId).containsExactlyElementsOf(p.nodeIds());
                assertThat(plan.unmetPreferences()).extracting(u -> u.preference() + ": " + u.why())
                        .containsExactlyElementsOf(p.unmet());
                assertThat(((PlanResult.Feasible) result).workload().replicas()).isEqualTo(p.nodeIds().size());
            }
            case Refuses r -> {
                assertThat(result).isInstanceOf(PlanResult.Infeasible.class);
                PlanResult.Infeasible infeasible = (PlanResult.Infeasible) result;
                assertThat(infeasible.constraint()).isEqualTo(r.constraint());
                assertThat(infeasible.detail()).isEqualTo(r.detail());
                assertThat(infeasible.bestPossible().replicas()).isEqualTo(r.bestReplicas());
            }
        }
    }

    @Test
    void thePlanPricesEachReplicaAndItsTotalsAreTheSums() {
        // 500m of 4000m (1/8) and 512 of 8192 MiB (1/16): the replica takes 1/8 of each node.
        // cost 0.12 × 1/8 = 0.015; power 40 × 1/8 + 140 × 1/8 = 22.5 W; CO2 0.0225 kW × 250 g/kWh = 5.625 g/h.
        IntentPlan plan = IntentPlanner.plan(ha(null),
                cluster(node("n1"), node("n2"), node("n3").region("us-east").carbon(50).cost(0.24))).plan();

        assertThat(plan.placements()).containsExactly(
                new PlannedPlacement("n1", "eu-west", 0.015, 250, 5.625),
                new PlannedPlacement("n3", "us-east", 0.03, 50, 1.125),
                new PlannedPlacement("n2", "eu-west", 0.015, 250, 5.625));
        assertThat(plan.replicas()).isEqualTo(3);
        assertThat(plan.estimatedCostPerHour()).isEqualTo(0.015 + 0.03 + 0.015).isCloseTo(0.06, within(1e-12));
        assertThat(plan.estimatedCo2GramsPerHour()).isEqualTo(5.625 + 1.125 + 5.625).isEqualTo(12.375);
    }

    @Test
    void theWorkloadCarriesTheApplicationTheCountAndTheRequiredRegions() {
        IntentSpec spec = ha(limits().required("eu-west", "us-east").build());
        PlanResult.Feasible result = (PlanResult.Feasible) IntentPlanner.plan(spec,
                cluster(node("n1"), node("n2").region("us-east"), node("n3").region("ap-south").cost(0)));

        assertThat(result.workload()).isEqualTo(new WorkloadSpec("web", "busybox", List.of("httpd", "-f"), 2,
                Fixtures.REQUEST, RestartPolicy.ALWAYS, "alice", java.util.Map.of("MODE", "prod"),
                new PlacementConstraints(false, List.of("eu-west", "us-east"))));
        assertThat(result.plan().nodeIds()).containsExactly("n1", "n2");
    }

    @Test
    void aBatchJobRestartsOnlyOnFailure() {
        PlanResult.Feasible result = (PlanResult.Feasible) IntentPlanner.plan(batch(null), cluster(node("n1")));
        assertThat(result.workload().restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(result.workload().placement()).isEqualTo(PlacementConstraints.NONE);
    }

    @Test
    void aReplanCountsTheIntentsOwnReplicasAsFree() {
        // n1 is full with the intent's own two replicas: a new plan may reuse that room.
        ClusterSnapshot running = cluster(node("n1").capacity(1000, 1024).running("web", 2),
                node("n2").cost(1.0));
        IntentSpec spec = cheap(limits().min(2).build());
        Intent intent = Intent.create("i-1", spec, IntentPlanner.plan(spec, cluster(node("n1").capacity(1000, 1024)))
                .plan(), IntentStatus.SATISFIED, null, Fixtures.T0);

        assertThat(IntentPlanner.replan(intent, running).plan().nodeIds()).containsExactly("n1");
        assertThat(IntentPlanner.plan(spec, running).plan().nodeIds()).containsExactly("n2");
    }

    @Test
    void anInfeasibleIntentCarriesTheBestPossiblePlan() {
        PlanResult.Infeasible result = (PlanResult.Infeasible) IntentPlanner.plan(
                ha(limits().min(3).preferred("us-east").build()),
                cluster(node("n1"), node("n2").region("us-east")));

        assertThat(result.bestPossible().nodeIds()).containsExactly("n2", "n1");
        assertThat(result.bestPossible().estimatedCostPerHour()).isEqualTo(0.015 + 0.015);
        assertThat(result.bestPossible().unmetPreferences()).extracting(u -> u.preference())
                .containsExactly("preferred_regions");
    }

    @Test
    void aDiskRequestLimitsTheReplicasANodeHolds() {
        IntentSpec spec = new IntentSpec(dev.hypha.model.intent.IntentGoal.DEPLOY_BATCH_JOB, "job",
                limits().min(3).build(), new dev.hypha.model.intent.IntentApplication("busybox", null, null,
                new Resources(100, 64, 8192)), null, false);
        PlanResult result = IntentPlanner.plan(spec, cluster(node("n1")));
        assertThat(result).isInstanceOf(PlanResult.Infeasible.class);
        assertThat(((PlanResult.Infeasible) result).detail()).isEqualTo("min_replicas is 3 but the alive nodes have"
                + " room for only 2 replicas of 100m cpu and 64Mi and 8Gi disk");
    }
}
