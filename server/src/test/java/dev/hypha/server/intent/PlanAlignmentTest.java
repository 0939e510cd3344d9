package dev.hypha.server.intent;

import static dev.hypha.server.intent.Fixtures.instance;
import static dev.hypha.server.intent.Fixtures.intent;
import static dev.hypha.server.intent.Fixtures.node;
import static dev.hypha.server.intent.Fixtures.running;
import static dev.hypha.server.intent.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.spi.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How replicas line up with a plan, and the stops the intent controller derives from it. */
class PlanAlignmentTest {
    private static final IntentGoal HA = IntentGoal.DEPLOY_HIGHLY_AVAILABLE_SERVICE;
    private final List<Node> nodes = List.of(node("n1", NodeState.ALIVE), node("n2", NodeState.ALIVE),
            node("n3", NodeState.ALIVE), node("n4", NodeState.DEAD));

    private PlanAlignment align(Intent intent, List<Instance> instances) {
        return PlanAlignment.of(intent, snapshot(nodes, instances), instances, n -> true);
    }

    @Test
    void replicasOnThePlanLeaveNothingToDo() {
        List<Instance> instances = List.of(running("a", "n1"), running("b", "n2"));
        PlanAlignment a = align(intent(HA, "n1", "n2"), instances);

        assertThat(a.openSlots()).isEmpty();
        assertThat(a.surplus()).isEmpty();
        assertThat(a.trimTo(2)).isEmpty();
        assertThat(a.nextMove(HA, 2)).isEmpty();
    }

    @Test
    void aReplicaOffThePlanMovesOnceTheWorkloadIsWholeAndAPlannedNodeHasRoom() {
        List<Instance> instances = List.of(running("a", "n1"), running("b", "n3"));
        PlanAlignment a = align(intent(HA, "n1", "n2"), instances);

        assertThat(a.openSlots()).containsExactly(Map.entry("n2", 1));
        assertThat(a.fillable()).containsExactly("n2");
        assertThat(a.surplus()).extracting(Instance::id).containsExactly("b");
        assertThat(a.trimTo(2)).isEmpty();
        assertThat(a.nextMove(HA, 2)).map(Instance::id).hasValue("b");
        assertThat(a.nextMove(IntentGoal.DEPLOY_BATCH_JOB, 2)).as("a batch job is never moved").isEmpty();
    }

    @Test
    void noMoveWhileAReplicaIsNotRunningOrMissing() {
        List<Instance> starting = List.of(running("a", "n1"),
                instance("b", "n3", DesiredState.RUN, InstanceState.STARTING, 5));
        assertThat(align(intent(HA, "n1", "n2"), starting).nextMove(HA, 2)).isEmpty();

        List<Instance> short1 = List.of(running("b", "n3"));
        assertThat(align(intent(HA, "n1", "n2"), short1).nextMove(HA, 2)).as("one of two present").isEmpty();
    }

    @Test
    void replicasOfAnOlderGenerationAreReplacedOneAtATimeOnlyWhileTheWorkloadIsWholeAndOnItsPlan() {
        Instance old1 = running("a", "n1"), old2 = running("b", "n2");
        Instance new2 = new Instance("c", "web", 2, "n2", DesiredState.RUN, InstanceState.RUNNING, null, null, 0,
                old1.createdAt(), null, null, null, null, null);

        List<Instance> both = List.of(old1, old2);
        assertThat(align(intent(HA, "n1", "n2"), both).nextReplacement(HA, 2, "web", 2, both))
                .map(Instance::id).as("the oldest generation, then by id").hasValue("a");
        assertThat(align(intent(HA, "n1", "n2"), both).nextReplacement(HA, 2, "web", 1, both))
                .as("all of the current generation").isEmpty();
        assertThat(align(intent(HA, "n1", "n2"), both).nextReplacement(IntentGoal.DEPLOY_BATCH_JOB, 2, "web", 2, both))
                .as("a batch job is never replaced").isEmpty();

        List<Instance> oneDone = List.of(old1, new2);
        assertThat(align(intent(HA, "n1", "n2"), oneDone).nextReplacement(HA, 2, "web", 2, oneDone))
                .map(Instance::id).hasValue("a");

        List<Instance> replacing = List.of(old1);
        assertThat(align(intent(HA, "n1", "n2"), replacing).nextReplacement(HA, 2, "web", 2, replacing))
                .as("a slot is open: its replacement comes first").isEmpty();
        List<Instance> starting = List.of(old1, new Instance("c", "web", 2, "n2", DesiredState.RUN,
                InstanceState.STARTING, null, null, 0, old1.createdAt(), null, null, null, null, null));
        assertThat(align(intent(HA, "n1", "n2"), starting).nextReplacement(HA, 2, "web", 2, starting))
                .as("the last replacement is not running yet").isEmpty();
        List<Instance> offPlan = List.of(old1, running("b", "n3"));
        assertThat(align(intent(HA, "n1", "n2"), offPlan).nextReplacement(HA, 2, "web", 2, offPlan))
                .as("moves onto the plan come first").isEmpty();
    }

    @Test
    void aFullPlannedNodeIsBlockedNotFillable() {
        List<Instance> instances = List.of(running("a", "n1"));
        Map<String, Resources> others = Map.of("n2", new Resources(3800, 1024, 0));
        PlanAlignment a = PlanAlignment.of(intent(HA, "n1", "n2"), snapshot(nodes, instances, others), instances, n -> true);

        assertThat(a.blocked()).containsExactly("n2");
        assertThat(a.fillable()).isEmpty();

        PlanAlignment refused = PlanAlignment.of(intent(HA, "n1", "n2"), snapshot(nodes, instances), instances,
                n -> !n.id().equals("n2"));
        assertThat(refused.blocked()).as("the scheduler's filters refuse it").containsExactly("n2");
    }

    @Test
    void aSmallerPlanTrimsTheReplicasOffItNotStartedOnesFirst() {
        List<Instance> instances = List.of(running("a", "n1"), running("b", "n2"), running("c", "n3"),
                instance("d", "n3", DesiredState.RUN, InstanceState.PENDING, 9));
        PlanAlignment a = align(intent(HA, "n1", "n2"), instances);

        assertThat(a.trimTo(2)).extracting(Instance::id).containsExactly("d", "c");
    }

    @Test
    void replicasOnLostNodesAndStoppedOnesDoNotCountButACompletedBatchReplicaHoldsItsSlot() {
        List<Instance> instances = List.of(running("a", "n4"), instance("b", "n1", DesiredState.STOP,
                InstanceState.RUNNING, 0), instance("c", "n2", DesiredState.RUN, InstanceState.STOPPED, 0));

        PlanAlignment service = align(intent(HA, "n1", "n2", "n4"), instances);
        assertThat(service.active()).isZero();
        assertThat(service.openSlots()).containsOnlyKeys("n1", "n2", "n4");
        assertThat(service.fillable()).containsExactly("n1", "n2");

        PlanAlignment job = align(intent(IntentGoal.DEPLOY_BATCH_JOB, "n1", "n2"), instances);
        assertThat(job.openSlots()).containsOnlyKeys("n1");
    }

    static LongStream seeds() {
        return LongStream.range(0, 100).map(k -> 0x1A7E_0000L + k);
    }

    /**
     * Properties over random plans and replicas: open slots are exactly what the plan lacks; the
     * surplus is exactly the active replicas beyond it; trimming never goes below the target or touches a
     * replica the plan wants; a move happens only while the workload is whole.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void theAlignmentAccountsForEveryReplicaAndSlot(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        String context = "seed " + seed;
        List<Node> cluster = new ArrayList<>();
        int size = 2 + random.nextInt(5);
        NodeState[] states = NodeState.values();
        for (int k = 1; k <= size; k++) {
            cluster.add(node("n" + k, random.nextInt(4) == 0 ? states[random.nextInt(states.length)] : NodeState.ALIVE));
        }
        IntentGoal goal = IntentGoal.values()[random.nextInt(3)];
        String[] plan = new String[1 + random.nextInt(4)];
        for (int k = 0; k < plan.length; k++) plan[k] = "n" + (1 + random.nextInt(size + 1)); // n{size+1} is unknown
        Intent intent = intent(goal, plan);
        List<Instance> instances = new ArrayList<>();
        InstanceState[] instanceStates = InstanceState.values();
        int replicas = random.nextInt(6);
        for (int k = 0; k < replicas; k++) {
            instances.add(instance("i" + k, "n" + (1 + random.nextInt(size)),
                    random.nextInt(5) == 0 ? DesiredState.STOP : DesiredState.RUN,
                    instanceStates[random.nextInt(instanceStates.length)], random.nextInt(100)));
        }
        ClusterSnapshot snapshot = snapshot(cluster, instances);
        PlanAlignment a = PlanAlignment.of(intent, snapshot, instances, n -> true);

        Map<String, Integer> held = new HashMap<>();
        Map<String, Integer> activeOn = new HashMap<>();
        int active = 0;
        for (Instance i : instances) {
            Node n = cluster.stream().filter(c -> c.id().equals(i.nodeId())).findFirst().orElseThrow();
            boolean lost = n.state() == NodeState.DEAD || n.state() == NodeState.LEFT;
            if (lost || i.desired() != DesiredState.RUN) continue;
            boolean completedJob = goal == IntentGoal.DEPLOY_BATCH_JOB && i.state() == InstanceState.STOPPED;
            if (i.isActive() || completedJob) held.merge(i.nodeId(), 1, Integer::sum);
            if (i.isActive()) {
                activeOn.merge(i.nodeId(), 1, Integer::sum);
                active++;
            }
        }
        assertThat(a.active()).as(context).isEqualTo(active);
        for (var e : a.planned().entrySet()) {
            int missing = e.getValue() - held.getOrDefault(e.getKey(), 0);
            assertThat(a.openSlots().getOrDefault(e.getKey(), 0)).as(context + " open on " + e.getKey())
                    .isEqualTo(Math.max(0, missing));
        }
        Map<String, Integer> surplusOn = new HashMap<>();
        for (Instance i : a.surplus()) {
            assertThat(i.isActive()).as(context).isTrue();
            surplusOn.merge(i.nodeId(), 1, Integer::sum);
        }
        held.forEach((node, count) -> {
            int excess = count - a.planned().getOrDefault(node, 0);
            assertThat(surplusOn.getOrDefault(node, 0)).as(context + " surplus on " + node)
                    .isEqualTo(Math.max(0, Math.min(activeOn.getOrDefault(node, 0), excess)));
        });
        for (String n : a.fillable()) assertThat(a.openSlots()).as(context).containsKey(n);
        for (String n : a.blocked()) assertThat(a.openSlots()).as(context).containsKey(n);
        for (int target = 0; target <= 4; target++) {
            List<Instance> trim = a.trimTo(target);
            assertThat(trim.size()).as(context).isLessThanOrEqualTo(Math.max(0, active - target));
            assertThat(a.surplus()).as(context).containsAll(trim);
        }
        a.nextMove(goal, plan.length).ifPresent(i -> {
            assertThat(goal).as(context).isNotEqualTo(IntentGoal.DEPLOY_BATCH_JOB);
            assertThat(a.allRunning()).as(context).isTrue();
            assertThat(a.active()).as(context).isGreaterThanOrEqualTo(plan.length);
            assertThat(a.surplus()).as(context).contains(i);
            assertThat(a.fillable()).as(context).isNotEmpty();
        });
    }
}
