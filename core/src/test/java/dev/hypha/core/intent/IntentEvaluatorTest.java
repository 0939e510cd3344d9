package dev.hypha.core.intent;

import static dev.hypha.core.intent.Fixtures.batch;
import static dev.hypha.core.intent.Fixtures.cheap;
import static dev.hypha.core.intent.Fixtures.cluster;
import static dev.hypha.core.intent.Fixtures.ha;
import static dev.hypha.core.intent.Fixtures.instance;
import static dev.hypha.core.intent.Fixtures.limits;
import static dev.hypha.core.intent.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.spi.ClusterSnapshot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IntentEvaluatorTest {

    /**
     * One situation: the intent planned on {@code before}, judged on {@code now} with these instances.
     *
     * @param reasons the re-plan reasons' descriptions, in order
     */
    record Case(String name, IntentSpec spec, ClusterSnapshot before, ClusterSnapshot now, List<Instance> instances,
                IntentStatus status, String why, List<String> reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Instance running(String id, String nodeId) {
        return instance(id, nodeId, InstanceState.RUNNING);
    }

    static Stream<Case> cases() {
        IntentSpec ha3 = ha(null);
        ClusterSnapshot three = cluster(node("n1"), node("n2"), node("n3").region("us-east"));
        List<Instance> threeRunning = List.of(running("web-1", "n1"), running("web-2", "n3"), running("web-3", "n2"));
        return Stream.of(
                new Case("every planned replica runs", ha3, three,
                        cluster(node("n1").running("web", 1), node("n2").running("web", 1),
                                node("n3").region("us-east").running("web", 1)),
                        threeRunning, IntentStatus.SATISFIED, null, List.of()),
                new Case("a replica still pending", ha3, three,
                        cluster(node("n1").running("web", 1), node("n2").running("web", 1),
                                node("n3").region("us-east").running("web", 1)),
                        List.of(running("web-1", "n1"), running("web-2", "n3"),
                                instance("web-3", "n2", InstanceState.PENDING)),
                        IntentStatus.DEGRADED, "2 of 3 replicas running: web-3 pending on n2", List.of()),
                new Case("a node hosting a replica died and another can take it", ha3,
                        cluster(node("n1"), node("n2"), node("n3").region("us-east")),
                        cluster(node("n1").running("web", 1), node("n2").running("web", 1),
                                node("n3").region("us-east").state(NodeState.DEAD).running("web", 1), node("n4")),
                        threeRunning, IntentStatus.DEGRADED, "2 of 3 replicas running: web-2 on node n3, which is dead",
                        List.of("node n3 is dead")),
                new Case("a node died and the rest cannot hold min_replicas", ha(limits().min(3).build()), three,
                        cluster(node("n1").running("web", 1), node("n2").running("web", 1),
                                node("n3").region("us-east").state(NodeState.DEAD).running("web", 1)),
                        threeRunning, IntentStatus.UNSATISFIABLE, "min_replicas is 3 but only 2 alive nodes have 500m"
                                + " cpu and 512Mi free, and deploy_highly_available_service puts each replica on its"
                                + " own node",
                        List.of("node n3 is dead")),
                new Case("a planned node left the cluster", ha3, three,
                        cluster(node("n1").running("web", 1), node("n2").running("web", 1), node("n4")),
                        List.of(running("web-1", "n1"), running("web-3", "n2")),
                        IntentStatus.DEGRADED, "2 of 3 replicas running",
                        List.of("node n3 is no longer in the cluster")),
                new Case("prices rose above the budget", cheap(limits().budget(0.05).build()),
                        cluster(node("n1"), node("n2").cost(0.2)),
                        cluster(node("n1").cost(0.8).running("web", 1), node("n2").cost(0.2)),
                        List.of(running("web-1", "n1")), IntentStatus.DEGRADED,
                        "the running replicas cost 0.10 per hour, above max_cost_per_hour 0.05",
                        List.of("the plan now costs 0.10 per hour, above max_cost_per_hour 0.05")),
                new Case("a cheaper node joined", cheap(null), cluster(node("n1")),
                        cluster(node("n1").running("web", 1), node("n2").cost(0.06)),
                        List.of(running("web-1", "n1")), IntentStatus.SATISFIED, null,
                        List.of("cheaper nodes: 0.0075 per hour instead of 0.015 on [n2]")),
                new Case("a node only a little cheaper is not worth a move", cheap(null), cluster(node("n1")),
                        cluster(node("n1").running("web", 1), node("n2").cost(0.115)),
                        List.of(running("web-1", "n1")), IntentStatus.SATISFIED, null, List.of()),
                new Case("a greener node joined and ecology matters",
                        cheap(limits().ecology(EcologicalPriority.PREFER_LOW_CARBON).build()), cluster(node("n1")),
                        cluster(node("n1").running("web", 1), node("n2").carbon(50)),
                        List.of(running("web-1", "n1")), IntentStatus.SATISFIED, null,
                        List.of("greener nodes: 1.13 g CO2 per hour instead of 5.63 on [n2]")),
                new Case("a greener node joined and ecology does not matter", cheap(null), cluster(node("n1")),
                        cluster(node("n1").running("web", 1), node("n2").carbon(50)),
                        List.of(running("web-1", "n1")), IntentStatus.SATISFIED, null, List.of()),
                new Case("a node joined that lets a highly available service grow", ha3,
                        cluster(node("n1"), node("n2").region("us-east")),
                        cluster(node("n1").running("web", 1), node("n2").region("us-east").running("web", 1), node("n3")),
                        List.of(running("web-1", "n1"), running("web-2", "n2")), IntentStatus.SATISFIED, null,
                        List.of("3 replicas fit the constraints now; the plan has 2")),
                new Case("highly available replicas share a node", ha(limits().max(2).build()),
                        cluster(node("n1"), node("n2")),
                        cluster(node("n1").running("web", 2), node("n2")),
                        List.of(running("web-1", "n1"), running("web-2", "n1")), IntentStatus.DEGRADED,
                        "2 replicas share node n1, but a highly available service needs each on its own node",
                        List.of()),
                new Case("a batch job is not moved to a cheaper node", batch(null), cluster(node("n1")),
                        cluster(node("n1").running("web", 1), node("n2").cost(0.01)),
                        List.of(running("web-1", "n1")), IntentStatus.SATISFIED, null, List.of()),
                new Case("a planned node that reports no capacity is lost", cheap(null), cluster(node("n1")),
                        cluster(node("n1").capacity(0, 0), node("n2")),
                        List.of(running("web-1", "n1")), IntentStatus.DEGRADED,
                        "0 of 1 replicas running: web-1 on node n1, which reports no cpu or memory capacity",
                        List.of("node n1 reports no cpu or memory capacity")),
                new Case("a batch job that completed is satisfied", batch(null), cluster(node("n1")),
                        cluster(node("n1")),
                        List.of(instance("web-1", "n1", InstanceState.STOPPED)), IntentStatus.SATISFIED, null,
                        List.of()),
                new Case("a batch job that failed is degraded", batch(null), cluster(node("n1")),
                        cluster(node("n1")),
                        List.of(instance("web-1", "n1", InstanceState.FAILED).withState(InstanceState.FAILED,
                                "exit code 1")),
                        IntentStatus.DEGRADED, "0 of 1 replicas running: web-1 failed on n1 (exit code 1)", List.of()),
                new Case("more replicas running than planned", cheap(null), cluster(node("n1")),
                        cluster(node("n1").running("web", 2)),
                        List.of(running("web-1", "n1"), running("web-2", "n1")), IntentStatus.DEGRADED,
                        "2 replicas running; the plan has 1", List.of()),
                new Case("instances of other workloads and stopping instances are ignored", cheap(null),
                        cluster(node("n1")), cluster(node("n1").running("web", 1)),
                        List.of(running("web-1", "n1"),
                                new Instance("db-1", "db", 1, "n1", DesiredState.RUN, InstanceState.RUNNING, null, null,
                                        0, Fixtures.T0, null, null, null, null, null),
                                running("web-0", "n1").withDesired(DesiredState.STOP, "replaced")),
                        IntentStatus.SATISFIED, null, List.of()),
                new Case("a planned node's grid got dirtier than the cap", cheap(limits().carbonCap(300).build()),
                        cluster(node("n1")),
                        cluster(node("n1").carbon(400).running("web", 1), node("n2").carbon(100)),
                        List.of(running("web-1", "n1")), IntentStatus.DEGRADED,
                        "web-1 runs on n1 at 400 g/kWh, above max_carbon_intensity 300",
                        List.of("node n1 now runs at 400 g/kWh, above max_carbon_intensity 300")),
                new Case("a replica the scheduler put outside the required regions",
                        cheap(limits().required("eu-west").build()), cluster(node("n1")),
                        cluster(node("n1"), node("n2").region("us-east").running("web", 1)),
                        List.of(running("web-1", "n2")), IntentStatus.DEGRADED,
                        "web-1 runs on n2 in us-east, outside required_regions [eu-west]",
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgesAsTheTableSays(Case c) {
        Intent intent = intentPlannedOn(c.spec(), c.before());
        IntentEvaluation evaluation = IntentEvaluator.evaluate(intent, c.now(), c.instances());

        assertThat(evaluation.status()).isEqualTo(c.status());
        assertThat(evaluation.why()).isEqualTo(c.why());
        assertThat(evaluation.replanReasons()).extracting(ReplanReason::describe).containsExactlyElementsOf(c.reasons());
        assertThat(evaluation.replanNeeded()).isEqualTo(!c.reasons().isEmpty());
    }

    @Test
    void theFreshPlanAvoidsTheDeadNode() {
        Intent intent = intentPlannedOn(ha(null), cluster(node("n1"), node("n2"), node("n3").region("us-east")));
        ClusterSnapshot now = cluster(node("n1").running("web", 1), node("n2").running("web", 1),
                node("n3").region("us-east").state(NodeState.DEAD).running("web", 1), node("n4"));

        IntentEvaluation evaluation = IntentEvaluator.evaluate(intent, now, List.of());

        assertThat(evaluation.replanReasons()).containsExactly(new ReplanReason.NodeLost("n3", "is dead"));
        assertThat(evaluation.freshPlan()).isInstanceOf(PlanResult.Feasible.class);
        assertThat(evaluation.freshPlan().plan().nodeIds()).containsExactly("n1", "n2", "n4");
    }

    @Test
    void aPlanThatRunsAsPlannedNeedsNoReplanEvenWhenPricesFell() {
        // Every node got 5 % cheaper: the same plan stays best, and the saving is no reason to move.
        Intent intent = intentPlannedOn(cheap(limits().min(2).build()), cluster(node("n1"), node("n2")));
        ClusterSnapshot now = cluster(node("n1").cost(0.114).running("web", 2), node("n2").cost(0.114));

        IntentEvaluation evaluation = IntentEvaluator.evaluate(intent, now,
                List.of(running("web-1", "n1"), running("web-2", "n1")));

        assertThat(evaluation.status()).isEqualTo(IntentStatus.SATISFIED);
        assertThat(evaluation.replanNeeded()).isFalse();
    }

    private static Intent intentPlannedOn(IntentSpec spec, ClusterSnapshot before) {
        PlanResult result = IntentPlanner.plan(spec, before);
        assertThat(result).as("the intent is feasible on the cluster it was made for")
                .isInstanceOf(PlanResult.Feasible.class);
        return Intent.create("i-1", spec, result.plan(), IntentStatus.SATISFIED, null, Fixtures.T0);
    }
}
