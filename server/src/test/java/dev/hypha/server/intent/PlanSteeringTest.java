package dev.hypha.server.intent;

import static dev.hypha.server.intent.Fixtures.intent;
import static dev.hypha.server.intent.Fixtures.node;
import static dev.hypha.server.intent.Fixtures.running;
import static dev.hypha.server.intent.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.server.Schedulers;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where the next replica of an intent-owned workload goes, and the scheduler decorator that sends it there. */
class PlanSteeringTest {
    private static final IntentGoal HA = IntentGoal.DEPLOY_HIGHLY_AVAILABLE_SERVICE;
    private final List<Node> nodes = List.of(node("n1", NodeState.ALIVE), node("n2", NodeState.ALIVE),
            node("n3", NodeState.ALIVE), node("n4", NodeState.DEAD), node("n5", NodeState.SUSPECT));
    private final Scheduler simple = Schedulers.forProfile("simple");

    private static List<String> ids(PlanSteering.Steering s) {
        return ((PlanSteering.Follow) s).nodes().stream().map(NodeSnapshot::id).toList();
    }

    @Test
    void followsTheAlivePlannedNodesThatLackTheirReplicas() {
        Intent intent = intent(HA, "n1", "n2", "n3");
        assertThat(ids(PlanSteering.steer(intent, snapshot(nodes, List.of())))).containsExactly("n1", "n2", "n3");
        assertThat(ids(PlanSteering.steer(intent, snapshot(nodes, List.of(running("a", "n2"))))))
                .containsExactly("n1", "n3");
        Intent stacked = intent(IntentGoal.DEPLOY_COST_OPTIMIZED_SERVICE, "n1", "n1");
        assertThat(ids(PlanSteering.steer(stacked, snapshot(nodes, List.of(running("a", "n1")))))).containsExactly("n1");
    }

    @Test
    void waitsForTheReplanWhenOnlyLostOrSuspectPlannedNodesLackReplicas() {
        Intent intent = intent(HA, "n1", "n4", "n5");
        var steering = PlanSteering.steer(intent, snapshot(nodes, List.of(running("a", "n1"))));
        assertThat(steering).isInstanceOf(PlanSteering.Wait.class);
        assertThat(((PlanSteering.Wait) steering).why()).contains("n4 (dead)").contains("n5 (suspect)");

        var full = PlanSteering.steer(intent(HA, "n1", "n2"), snapshot(nodes, List.of(running("a", "n1"), running("b", "n2"))));
        assertThat(((PlanSteering.Wait) full).why()).contains("every planned node already has its replicas");
    }

    @Test
    void theDecoratorPlacesOnThePlanFallsBackWithinTheLimitsAndLeavesOtherWorkloadsAlone() {
        Intent intent = intent(HA, "n3");
        AtomicInteger loads = new AtomicInteger();
        Workload owned = Workload.create(OwnedWorkload.specFor(intent), Fixtures.T0, intent.id());
        IntentBook book = new IntentBook(() -> {
            loads.incrementAndGet();
            return List.of(intent);
        }, () -> List.of(owned));
        PlanSteeringScheduler steering = new PlanSteeringScheduler(simple, book);
        WorkloadSpec web = owned.spec();
        assertThat(web.placement().regions()).as("the plan's regions").containsExactly("r-n3");
        WorkloadSpec webAnyRegion = new WorkloadSpec(web.name(), web.image(), web.command(), web.replicas(),
                web.resources(), web.restartPolicy(), web.member(), web.env(), PlacementConstraints.NONE);
        WorkloadSpec other = new WorkloadSpec("other", "busybox", null, 1, null, null, null, null, null);

        // Left alone, the simple scheduler would pick the emptiest node; the plan says n3.
        ClusterSnapshot busyN3 = snapshot(nodes, List.of(), Map.of("n3", new Resources(2000, 1024, 0)));
        assertThat(simple.schedule(new PlacementRequest(webAnyRegion, "web-1", 1), busyN3))
                .isInstanceOfSatisfying(Placement.Assigned.class, a -> assertThat(a.nodeId()).isNotEqualTo("n3"));
        assertThat(steering.schedule(new PlacementRequest(webAnyRegion, "web-1", 1), busyN3))
                .isInstanceOfSatisfying(Placement.Assigned.class, a -> assertThat(a.nodeId()).isEqualTo("n3"));

        // n3 full of other work: the replica still runs on a node the intent allows, within the
        // workload's regions; here those are the plan's, which hold only n3.
        ClusterSnapshot fullN3 = snapshot(nodes, List.of(), Map.of("n3", new Resources(4000, 8192, 0)));
        assertThat(steering.schedule(new PlacementRequest(webAnyRegion, "web-2", 1), fullN3))
                .isInstanceOfSatisfying(Placement.Assigned.class, a -> assertThat(a.nodeId()).isIn("n1", "n2"));
        assertThat(steering.schedule(new PlacementRequest(web, "web-2", 1), fullN3))
                .isInstanceOf(Placement.Unplaceable.class);

        // Every planned replica present: nothing more is placed, and explain says why.
        ClusterSnapshot placed = snapshot(nodes, List.of(running("a", "n3")));
        assertThat(steering.schedule(new PlacementRequest(web, "web-3", 1), placed))
                .isInstanceOfSatisfying(Placement.Unplaceable.class, u -> assertThat(u.decision().rejectionCounts())
                        .containsOnlyKeys("intent intent-1 (plan generation 1): every planned node already has its replicas"));

        // A workload no intent owns is the wrapped scheduler's alone.
        assertThat(steering.schedule(new PlacementRequest(other, "other-1", 1), busyN3))
                .isEqualTo(simple.schedule(new PlacementRequest(other, "other-1", 1), busyN3));
        assertThat(loads.get()).as("one read per snapshot revision").isEqualTo(1);
    }

    @Test
    void theBookOnlyCountsWorkloadsTheIntentOwns() {
        Intent intent = intent(HA, "n1");
        Workload someoneElses = Workload.create(OwnedWorkload.specFor(intent), Fixtures.T0, null);
        List<Workload> workloads = new ArrayList<>(List.of(someoneElses));
        IntentBook book = new IntentBook(() -> List.of(intent), () -> workloads);

        assertThat(book.ownerOf("web", 5)).isEmpty();
        workloads.set(0, Workload.create(OwnedWorkload.specFor(intent), Fixtures.T0, intent.id()));
        assertThat(book.ownerOf("web", 5)).as("same revision, same answer").isEmpty();
        assertThat(book.ownerOf("web", 6)).hasValue(intent);
    }

    @Test
    void allowedNodesKeepTheHardConstraints() {
        Intent intent = intent(HA, "n1");
        List<String> allowed = PlanSteering.allowedNodes(intent, snapshot(nodes, List.<Instance>of())).stream()
                .map(NodeSnapshot::id).toList();
        assertThat(allowed).containsExactly("n1", "n2", "n3");
    }
}
