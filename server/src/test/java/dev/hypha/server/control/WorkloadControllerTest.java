package dev.hypha.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.model.Instance;
import dev.hypha.model.Workload;
import dev.hypha.spi.KvStore;
import dev.hypha.store.PlacementRecord;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.SqliteKvStore;
import dev.hypha.testkit.fixtures.Fixtures;
import dev.hypha.testkit.fixtures.NodeBuilder;
import dev.hypha.testkit.fixtures.WorkloadBuilder;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One controller pass against a real store: placements written in batches, each with its decision. */
class WorkloadControllerTest {
    @TempDir Path dir;
    StateStore store;
    WorkloadController controller;

    @BeforeEach
    void open() {
        store = new StateStore(new SqliteKvStore(dir.resolve("state.db")));
        controller = new WorkloadController(new PipelineScheduler(Profiles.simple()), InstantSource.fixed(Fixtures.NOW));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void workload(String name, int replicas) {
        Workload w = Workload.create(WorkloadBuilder.workload(name).replicas(replicas).cpu(100).memory(64).spec(),
                Fixtures.NOW, null);
        store.workloads().create(name, w);
    }

    @Test
    void aPassPlacesManyReplicasInAFewTransactionsEachWithItsDecision() {
        for (String n : List.of("n1", "n2", "n3")) store.nodes().put(n, NodeBuilder.node(n).cpu(64_000).memory(64_000).build());
        workload("web", 100);
        long before = store.kv().revision();

        controller.reconcileOnce(store);

        List<Instance> instances = store.instances().values();
        assertThat(instances).hasSize(100).allSatisfy(i -> assertThat(i.nodeId()).isIn("n1", "n2", "n3"));
        for (Instance i : instances) {
            PlacementRecord d = store.decisions().value(WorkloadController.decisionKey("web", i.id())).orElseThrow();
            assertThat(d.nodeId()).isEqualTo(i.nodeId());
            assertThat(d.outcome()).isEqualTo("assigned");
        }
        int batches = (100 + WorkloadController.PLACEMENTS_PER_COMMIT - 1) / WorkloadController.PLACEMENTS_PER_COMMIT;
        // The stored status (100 desired, 0 ready) is still right: the pass writes only the batches.
        assertThat(store.kv().revision() - before).as("one store revision per batch").isEqualTo(batches);
        assertThat(controller.reconcileOnce(store).actions()).as("nothing left to do").isEmpty();
    }

    @Test
    void aReplicaThatFitsNowhereAfterOthersWerePlacedLeavesItsReason() {
        store.nodes().put("n1", NodeBuilder.node("n1").cpu(250).memory(8192).build());
        workload("web", 3);

        controller.reconcileOnce(store);

        assertThat(store.instances().values()).hasSize(2);
        PlacementRecord unplaced = store.decisions().value(WorkloadController.decisionKey("web", WorkloadController.UNPLACED))
                .orElseThrow();
        assertThat(unplaced.outcome()).isEqualTo("unplaceable");
        assertThat(unplaced.decision().rejectionCounts()).containsKey("resource-fit: insufficient cpu");
    }

    @Test
    void aPassWhoseGuardNoLongerHoldsWritesNoPlacement() {
        store.nodes().put("n1", NodeBuilder.node("n1").build());
        workload("web", 3);
        StateStore fenced = store.guardedBy(KvStore.Compare.absent("/hypha/someone-else-leads"));
        store.kv().put("/hypha/someone-else-leads", new byte[] {1}, 0);

        controller.reconcileOnce(fenced);

        assertThat(store.instances().values()).isEmpty();
        assertThat(store.decisions().values()).isEmpty();
    }
}
