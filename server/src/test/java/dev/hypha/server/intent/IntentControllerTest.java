package dev.hypha.server.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.Workload;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intent controller with the real workload controller on a real store, one pass at a time:
 * plans are followed to the node, re-planned when nodes die, join or change price, statuses say
 * why, and a settled cluster sees no writes.
 *
 * <p>Nodes (4 cores, 8 GiB each; a replica of 500m and 512Mi takes an eighth, so it costs an
 * eighth of the node's price):
 * <pre>
 *   node  region    price/h  per replica  g CO2/kWh
 *   e1    us-east   0.20     0.025        300
 *   e2    us-east   0.60     0.075         80
 *   w1    us-west   0.40     0.05         400
 *   w2    us-west   0.80     0.10          50
 *   u1    eu-west   0.16     0.02          30
 * </pre>
 */
class IntentControllerTest {
    private static final String APP = """
            "application": {"image": "busybox", "command": ["httpd", "-f"],
                            "resources": {"cpu_millicores": 500, "memory_mb": 512}}""";

    @TempDir
    Path dir;
    ControllerBench bench;

    @BeforeEach
    void cluster() {
        bench = new ControllerBench(dir);
        bench.node("e1", "us-east", 0.20, 300);
        bench.node("e2", "us-east", 0.60, 80);
        bench.node("w1", "us-west", 0.40, 400);
        bench.node("w2", "us-west", 0.80, 50);
        bench.node("u1", "eu-west", 0.16, 30);
    }

    @AfterEach
    void close() {
        bench.close();
    }

    private Intent ha(String name, String constraints) {
        return bench.create("""
                {"intent": "deploy_highly_available_service", "name": "%s", "constraints": {%s}, %s}"""
                .formatted(name, constraints, APP));
    }

    private static List<String> plannedNodes(Intent i) {
        return i.plan().placements().stream().map(PlannedPlacement::nodeId).sorted().toList();
    }

    @Test
    void replicasRunOnThePlannedNodesAndASettledClusterSeesNoWrites() {
        Intent created = ha("web", "\"min_replicas\": 3, \"max_replicas\": 3");
        assertThat(plannedNodes(created)).containsExactly("e1", "u1", "w1");
        assertThat(created.status()).isEqualTo(IntentStatus.DEGRADED);
        assertThat(created.why()).contains("0 of 3 replicas running");

        bench.settle();

        Intent settled = bench.intent(created.id());
        assertThat(settled.status()).as(settled.why()).isEqualTo(IntentStatus.SATISFIED);
        assertThat(settled.generation()).isEqualTo(1);
        assertThat(bench.nodesOf("web")).containsExactly("e1", "u1", "w1");
        assertThat(bench.workload("web").owner()).isEqualTo(created.id());
        assertThat(bench.workload("web").placement().regions()).containsExactly("eu-west", "us-east", "us-west");

        long revision = bench.store.kv().revision();
        assertThat(bench.pass()).isEmpty();
        assertThat(bench.store.kv().revision()).as("no write in a settled pass").isEqualTo(revision);
    }

    @Test
    void aDeadPlannedNodeIsReplacedWhileTheIntentSaysItIsDegradedAndWhy() {
        Intent created = ha("web", "\"min_replicas\": 3, \"max_replicas\": 3");
        bench.settle();

        bench.setState("e1", NodeState.DEAD);
        List<IntentChange> changes = bench.pass();

        assertThat(changes).filteredOn(c -> c instanceof IntentChange.Replanned).singleElement()
                .satisfies(c -> assertThat(((IntentChange.Replanned) c).reasons()).contains("node e1 is dead"));
        Intent replanned = bench.intent(created.id());
        assertThat(replanned.generation()).isEqualTo(2);
        assertThat(plannedNodes(replanned)).containsExactly("e2", "u1", "w1");
        assertThat(replanned.status()).isEqualTo(IntentStatus.DEGRADED);
        assertThat(replanned.why()).contains("2 of 3 replicas running").contains("re-planned: node e1 is dead");

        bench.settle();
        Intent healed = bench.intent(created.id());
        assertThat(healed.status()).as(healed.why()).isEqualTo(IntentStatus.SATISFIED);
        assertThat(healed.generation()).as("one re-plan, no churn").isEqualTo(2);
        assertThat(bench.nodesOf("web")).containsExactly("e2", "u1", "w1");
    }

    @Test
    void tooFewNodesInTheRequiredRegionMakeItUnsatisfiableUntilTheyReturn() {
        Intent created = ha("db", "\"min_replicas\": 2, \"max_replicas\": 2, \"required_regions\": [\"us-east\"]");
        bench.settle();
        assertThat(bench.nodesOf("db")).containsExactly("e1", "e2");

        bench.setState("e2", NodeState.DEAD);
        bench.settle();
        Intent lost = bench.intent(created.id());
        assertThat(lost.status()).isEqualTo(IntentStatus.UNSATISFIABLE);
        assertThat(lost.why()).contains("min_replicas is 2").contains("required_regions [us-east]");
        assertThat(plannedNodes(lost)).as("the best possible keeps what can run").containsExactly("e1");
        assertThat(bench.workload("db").replicas()).isEqualTo(1);
        assertThat(bench.nodesOf("db")).containsExactly("e1");

        bench.setState("e2", NodeState.ALIVE);
        bench.settle();
        Intent back = bench.intent(created.id());
        assertThat(back.status()).as(back.why()).isEqualTo(IntentStatus.SATISFIED);
        assertThat(plannedNodes(back)).containsExactly("e1", "e2");
        assertThat(bench.nodesOf("db")).containsExactly("e1", "e2");
    }

    @Test
    void aJoiningNodeGivesAHighlyAvailableServiceTheReplicasItWanted() {
        ControllerBench small = new ControllerBench(dir.resolve("small"));
        try (small) {
            small.node("e1", "us-east", 0.20, 300);
            small.node("w1", "us-west", 0.40, 400);
            Intent created = small.create("""
                    {"intent": "deploy_highly_available_service", "name": "web",
                     "constraints": {"min_replicas": 2, "max_replicas": 3}, %s}""".formatted(APP));
            assertThat(created.plan().replicas()).isEqualTo(2);
            assertThat(created.plan().unmetPreferences()).anySatisfy(u -> assertThat(u.preference()).isEqualTo("max_replicas"));
            small.settle();
            assertThat(small.intent(created.id()).status()).isEqualTo(IntentStatus.SATISFIED);

            small.node("u1", "eu-west", 0.16, 30);
            small.settle();

            Intent grown = small.intent(created.id());
            assertThat(grown.generation()).isEqualTo(2);
            assertThat(plannedNodes(grown)).containsExactly("e1", "u1", "w1");
            assertThat(grown.status()).as(grown.why()).isEqualTo(IntentStatus.SATISFIED);
            assertThat(small.nodesOf("web")).containsExactly("e1", "u1", "w1");
        }
    }

    @Test
    void aPriceRiseAboveTheBudgetMovesReplicasOneAtATimeAndKeepsTheBudget() {
        Intent created = ha("web", "\"min_replicas\": 2, \"max_replicas\": 2, \"max_cost_per_hour\": 0.10");
        assertThat(plannedNodes(created)).containsExactly("e1", "u1");
        bench.settle();

        bench.setPrice("u1", 2.00);
        List<IntentChange> changes = bench.pass();
        assertThat(changes).anySatisfy(c -> assertThat(c.describe()).contains("re-planned")
                .contains("above max_cost_per_hour 0.10"));
        Intent replanned = bench.intent(created.id());
        assertThat(plannedNodes(replanned)).containsExactly("e1", "w1");
        assertThat(replanned.plan().estimatedCostPerHour()).isLessThanOrEqualTo(0.10);
        assertThat(replanned.status()).isEqualTo(IntentStatus.DEGRADED);
        assertThat(replanned.why()).contains("the running replicas cost 0.275 per hour, above max_cost_per_hour 0.10");
        assertThat(changes).filteredOn(c -> c instanceof IntentChange.ReplicaStopped).hasSize(1);

        // The move: never more than one replica away, and over once the replacement runs on w1.
        for (int round = 0; round < 10; round++) {
            long running = bench.store.instances().values().stream()
                    .filter(i -> i.workload().equals("web") && i.isActive() && i.state() == InstanceState.RUNNING).count();
            assertThat(running).as("running replicas in round " + round).isGreaterThanOrEqualTo(1);
            bench.pass();
            bench.agentsReport();
        }
        Intent moved = bench.intent(created.id());
        assertThat(moved.status()).as(moved.why()).isEqualTo(IntentStatus.SATISFIED);
        assertThat(bench.nodesOf("web")).containsExactly("e1", "w1");
        assertThat(bench.settle()).isEmpty();
    }

    @Test
    void aBatchJobIsNotMovedForACheaperNode() {
        Intent job = bench.create("""
                {"intent": "deploy_batch_job", "name": "report", %s}""".formatted(APP));
        assertThat(plannedNodes(job)).containsExactly("u1");
        bench.settle();

        bench.node("z1", "eu-west", 0.01, 30);
        assertThat(bench.settle()).isEmpty();
        assertThat(bench.intent(job.id()).generation()).isEqualTo(1);
        assertThat(bench.nodesOf("report")).containsExactly("u1");
    }

    @Test
    void aDeletedOwnedWorkloadIsCreatedAgainAndAnEditIsUndone() {
        Intent created = ha("web", "\"min_replicas\": 3, \"max_replicas\": 3");
        bench.settle();

        bench.store.workloads().modify("web", w -> w.update(w.spec().withReplicas(5)));
        assertThat(bench.pass()).anySatisfy(c -> assertThat(c).isInstanceOf(IntentChange.WorkloadUpdated.class));
        assertThat(bench.workload("web").replicas()).isEqualTo(3);

        // The workload controller runs first and stops the replicas of the missing workload; the
        // intent controller then creates the workload again, and new replicas replace the old.
        bench.store.workloads().delete("web");
        assertThat(bench.pass()).contains(new IntentChange.WorkloadCreated(created.id(), "web"));
        assertThat(bench.workload("web").owner()).isEqualTo(created.id());
        bench.settle();
        assertThat(bench.nodesOf("web")).containsExactly("e1", "u1", "w1");
    }

    @Test
    void aWorkloadWhoseIntentIsGoneIsDeleted() {
        Workload orphan = Workload.create(new dev.hypha.model.WorkloadSpec("stray", "busybox", null, 1, null, null,
                null, null, null), ControllerBench.T0, "intent-gone");
        bench.store.workloads().put("stray", orphan);

        assertThat(bench.intents.reconcileOnce(bench.store))
                .containsExactly(new IntentChange.OrphanDeleted("intent-gone", "stray"));
        assertThat(bench.store.workloads().get("stray")).isEmpty();
    }

    @Test
    void aWorkloadOfTheSameNameThatTheIntentDoesNotOwnIsLeftAloneAndSaidSo() {
        Intent created = ha("web", "\"min_replicas\": 3, \"max_replicas\": 3");
        Workload someoneElses = Workload.create(bench.workload("web").spec().withReplicas(1), ControllerBench.T0, null);
        bench.store.workloads().put("web", someoneElses);

        bench.settle();

        Intent blocked = bench.intent(created.id());
        assertThat(blocked.status()).isEqualTo(IntentStatus.UNSATISFIABLE);
        assertThat(blocked.why()).contains("workload 'web' exists but was created directly");
        assertThat(bench.workload("web").replicas()).isEqualTo(1);
        assertThat(bench.workload("web").owner()).isNull();
    }

    @Test
    void aServerThatLostTheLeadWritesNothing() {
        Intent created = ha("web", "\"min_replicas\": 3, \"max_replicas\": 3");
        bench.settle();
        bench.setState("e1", NodeState.DEAD);
        StateStore stale = bench.store.guardedBy(new KvStore.Compare.ModRevision("/hypha/leader", 424242));
        long revision = bench.store.kv().revision();

        assertThat(bench.intents.reconcileOnce(stale)).isEmpty();

        assertThat(bench.store.kv().revision()).isEqualTo(revision);
        assertThat(bench.intent(created.id()).generation()).isEqualTo(1);
    }
}
