package dev.hypha.core.reconcile;

import static dev.hypha.core.reconcile.ReconcileFixtures.NOW;
import static dev.hypha.core.reconcile.ReconcileFixtures.alive;
import static dev.hypha.core.reconcile.ReconcileFixtures.exited;
import static dev.hypha.core.reconcile.ReconcileFixtures.instance;
import static dev.hypha.core.reconcile.ReconcileFixtures.ready;
import static dev.hypha.core.reconcile.ReconcileFixtures.running;
import static dev.hypha.core.reconcile.ReconcileFixtures.scaled;
import static dev.hypha.core.reconcile.ReconcileFixtures.withImage;
import static dev.hypha.core.reconcile.ReconcileFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.core.reconcile.Action.Place;
import dev.hypha.core.reconcile.Action.Remove;
import dev.hypha.core.reconcile.Action.Stop;
import dev.hypha.core.reconcile.Action.UpdateStatus;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReconcilerTest {

    private static ReconcilePlan plan(List<Workload> workloads, List<Instance> instances, Map<String, NodeState> nodes) {
        return Reconciler.plan(workloads, instances, nodes, NOW);
    }

    private static List<String> ids(List<? extends Action> actions) {
        return actions.stream().map(a -> switch (a) {
            case Stop s -> s.instanceId();
            case Remove r -> r.instanceId();
            case Place p -> p.workload();
            case UpdateStatus u -> u.workload();
        }).toList();
    }

    @Nested
    class Basics {
        @Test
        void nothingToDoGivesAnEmptyPlan() {
            assertThat(plan(List.of(), List.of(), Map.of()).isEmpty()).isTrue();
        }

        @Test
        void aNewWorkloadPlacesEveryReplicaAtItsGeneration() {
            Workload web = workload("web", 3);
            ReconcilePlan p = plan(List.of(web), List.of(), alive("n1"));
            assertThat(p.places()).hasSize(3).allSatisfy(pl -> {
                assertThat(pl.workload()).isEqualTo("web");
                assertThat(pl.generation()).isEqualTo(web.generation());
                assertThat(pl.reason()).contains("0 of 3");
            });
            assertThat(p.statusUpdates()).as("the stored pending status already says 0 of 3").isEmpty();
        }

        @Test
        void aConvergedWorkloadNeedsNothing() {
            Workload web = ready(workload("web", 2), 2);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1"), running("i2", web, "n2")),
                    alive("n1", "n2"));
            assertThat(p.actions()).isEmpty();
        }

        @Test
        void statusIsUpdatedOnlyWhenItDiffers() {
            Workload web = workload("web", 2);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1"),
                    instance("i2", web, "n1", InstanceState.STARTING, NOW)), alive("n1"));
            assertThat(p.actions()).containsExactly(new UpdateStatus("web", new WorkloadStatus(2, 1)));
        }

        @Test
        void readyCountsOnlyCurrentRunningReplicasThePlanKeeps() {
            Workload v1 = workload("web", 2);
            Workload v2 = withImage(v1, "busybox:2");
            ReconcilePlan p = plan(List.of(v2), List.of(running("i1", v1, "n1"), running("i2", v2, "n1"),
                    running("i3", v2, "n1"), running("i4", v2, "n1")), alive("n1"));
            assertThat(p.statusUpdates()).containsExactly(new UpdateStatus("web", new WorkloadStatus(2, 2)));
        }

        @Test
        void duplicateNamesOrIdsAreRejectedWithTheName() {
            Workload web = workload("web", 1);
            assertThatThrownBy(() -> plan(List.of(web, web), List.of(), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workload 'web' appears twice");
            Instance i = running("i1", web, "n1");
            assertThatThrownBy(() -> plan(List.of(web), List.of(i, i), alive("n1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance 'i1' appears twice");
        }

        @Test
        void actionsAreOrderedByWorkloadThenInstanceIdThenPlacementsThenStatus() {
            Workload a = workload("alpha", 1);
            Workload b = workload("beta", 0);
            ReconcilePlan p = plan(List.of(b, a), List.of(running("z9", b, "n1"), running("b2", b, "n1"),
                    running("m1", a, "gone")), alive("n1"));
            assertThat(p.actions()).extracting(a1 -> a1.getClass().getSimpleName())
                    .containsExactly("Remove", "Place", "Stop", "Stop");
            assertThat(ids(p.actions())).containsExactly("m1", "alpha", "b2", "z9");
        }
    }

    @Nested
    class Nodes {
        static Stream<Arguments> goneStates() {
            return Stream.of(
                    Arguments.of(NodeState.DEAD, "node n2 is dead"),
                    Arguments.of(NodeState.LEFT, "node n2 has left"),
                    Arguments.of(null, "node n2 is unknown"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("goneStates")
        void instancesOnAGoneNodeAreRemovedAndReplaced(NodeState state, String reason) {
            Workload web = ready(workload("web", 2), 2);
            Map<String, NodeState> nodes = alive("n1");
            if (state != null) nodes.put("n2", state);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1"), running("i2", web, "n2")), nodes);
            assertThat(p.removes()).containsExactly(new Remove("i2", reason));
            assertThat(p.places()).hasSize(1);
            assertThat(p.statusUpdates()).containsExactly(new UpdateStatus("web", new WorkloadStatus(2, 1)));
        }

        @Test
        void instancesOnASuspectNodeKeepCounting() {
            Workload web = ready(workload("web", 2), 2);
            Map<String, NodeState> nodes = alive("n1");
            nodes.put("n2", NodeState.SUSPECT);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1"), running("i2", web, "n2")), nodes);
            assertThat(p.actions()).isEmpty();
        }
    }

    @Nested
    class DeletedWorkloads {
        @Test
        void runningInstancesAreStopped() {
            Workload gone = workload("gone", 1);
            ReconcilePlan p = plan(List.of(), List.of(running("i1", gone, "n1")), alive("n1"));
            assertThat(p.actions()).containsExactly(new Stop("i1", "workload gone no longer exists"));
        }

        @Test
        void terminalInstancesAreRemovedWhateverTheirDesiredState() {
            Workload gone = workload("gone", 1);
            Instance stopped = exited("i1", gone, "n1", InstanceState.STOPPED, 0).withDesired(DesiredState.STOP, null);
            Instance failed = exited("i2", gone, "n1", InstanceState.FAILED, 1);
            ReconcilePlan p = plan(List.of(), List.of(stopped, failed), alive("n1"));
            assertThat(p.actions()).containsExactly(new Remove("i1", "workload gone no longer exists"),
                    new Remove("i2", "workload gone no longer exists"));
        }

        @Test
        void instancesBeingStoppedAreLeftToTheirAgent() {
            Workload gone = workload("gone", 1);
            Instance stopping = running("i1", gone, "n1").withDesired(DesiredState.STOP, "deleted");
            assertThat(plan(List.of(), List.of(stopping), alive("n1")).actions()).isEmpty();
        }

        @Test
        void instancesOnAGoneNodeAreRemoved() {
            Workload gone = workload("gone", 1);
            ReconcilePlan p = plan(List.of(), List.of(running("i1", gone, "n9")), alive("n1"));
            assertThat(p.actions()).containsExactly(new Remove("i1", "node n9 is unknown"));
        }
    }

    @Nested
    class StoppedAndExited {
        @Test
        void aStoppedInstanceWithDesiredStopIsRemoved() {
            Workload web = ready(workload("web", 1), 1);
            Instance old = exited("i0", web, "n1", InstanceState.STOPPED, 143).withDesired(DesiredState.STOP, null);
            ReconcilePlan p = plan(List.of(web), List.of(old, running("i1", web, "n1")), alive("n1"));
            assertThat(p.actions()).containsExactly(new Remove("i0", "stopped as requested"));
        }

        @Test
        void anInstanceBeingStoppedNoLongerCountsAsAReplica() {
            Workload web = workload("web", 1);
            Instance stopping = running("i1", web, "n1").withDesired(DesiredState.STOP, "scale down");
            ReconcilePlan p = plan(List.of(web), List.of(stopping), alive("n1"));
            assertThat(p.removes()).isEmpty();
            assertThat(p.stops()).isEmpty();
            assertThat(p.places()).hasSize(1);
        }

        static Stream<Arguments> exits() {
            // policy, state, exit code, replaced?
            return Stream.of(
                    Arguments.of(RestartPolicy.ALWAYS, InstanceState.STOPPED, 0, true),
                    Arguments.of(RestartPolicy.ALWAYS, InstanceState.FAILED, 1, true),
                    Arguments.of(RestartPolicy.ON_FAILURE, InstanceState.STOPPED, 0, false),
                    Arguments.of(RestartPolicy.ON_FAILURE, InstanceState.FAILED, 2, true),
                    Arguments.of(RestartPolicy.ON_FAILURE, InstanceState.FAILED, null, true),
                    Arguments.of(RestartPolicy.ON_FAILURE, InstanceState.STOPPED, null, false),
                    Arguments.of(RestartPolicy.NEVER, InstanceState.FAILED, 1, false),
                    Arguments.of(RestartPolicy.NEVER, InstanceState.STOPPED, 0, false));
        }

        @ParameterizedTest(name = "{0} {1} exit {2}: replaced={3}")
        @MethodSource("exits")
        void terminalInstancesFollowTheRestartPolicy(RestartPolicy policy, InstanceState state, Integer exit,
                                                     boolean replaced) {
            Workload job = workload("job", 1, policy);
            ReconcilePlan p = plan(List.of(job), List.of(exited("i1", job, "n1", state, exit)), alive("n1"));
            if (replaced) {
                assertThat(p.removes()).singleElement().satisfies(r -> {
                    assertThat(r.instanceId()).isEqualTo("i1");
                    assertThat(r.reason()).contains("restart policy " + policy.wire() + " replaces it");
                });
                assertThat(p.places()).hasSize(1);
            } else {
                assertThat(p.actions()).as("finished: it keeps its slot").isEmpty();
            }
        }

        @Test
        void aStoppingInstanceWithDesiredRunIsReplacedAndJudgedWhenTerminal() {
            Workload web = workload("web", 1);
            Instance stopping = running("i1", web, "n1").withState(InstanceState.STOPPING, "agent stopping");
            ReconcilePlan p = plan(List.of(web), List.of(stopping), alive("n1"));
            assertThat(p.places()).hasSize(1);
            assertThat(p.removes()).isEmpty();
        }
    }

    @Nested
    class PendingTimeout {
        @Test
        void anInstancePendingTooLongOnAnAliveNodeIsReplaced() {
            Workload web = workload("web", 1);
            Instance stuck = instance("i1", web, "n1", InstanceState.PENDING, NOW.minus(Duration.ofMinutes(6)));
            ReconcilePlan p = plan(List.of(web), List.of(stuck), alive("n1"));
            assertThat(p.removes()).singleElement().satisfies(r -> assertThat(r.reason())
                    .isEqualTo("pending on node n1 for more than 5 minutes; treated as failed"));
            assertThat(p.places()).hasSize(1);
        }

        @Test
        void exactlyTheTimeoutIsNotYetTooLong() {
            Workload web = workload("web", 1);
            Instance pending = instance("i1", web, "n1", InstanceState.PENDING, NOW.minus(Reconciler.PENDING_TIMEOUT));
            assertThat(plan(List.of(web), List.of(pending), alive("n1")).actions()).isEmpty();
        }

        @Test
        void onASuspectNodeItWaits() {
            Workload web = workload("web", 1);
            Instance stuck = instance("i1", web, "n1", InstanceState.PENDING, NOW.minus(Duration.ofHours(1)));
            assertThat(plan(List.of(web), List.of(stuck), Map.of("n1", NodeState.SUSPECT)).actions()).isEmpty();
        }

        @Test
        void aStartingInstanceIsNotTimedOut() {
            Workload web = workload("web", 1);
            Instance starting = instance("i1", web, "n1", InstanceState.STARTING, NOW.minus(Duration.ofHours(1)));
            assertThat(plan(List.of(web), List.of(starting), alive("n1")).actions()).isEmpty();
        }
    }

    @Nested
    class Scaling {
        @Test
        void scaleUpPlacesTheMissingReplicas() {
            Workload web = ready(scaled(ready(workload("web", 1), 1), 3), 1);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1")), alive("n1"));
            assertThat(p.places()).hasSize(3 - 1).allSatisfy(pl -> assertThat(pl.reason()).contains("1 of 3"));
            assertThat(p.stops()).isEmpty();
        }

        @Test
        void scaleDownStopsNotYetRunningReplicasFirst() {
            Workload web = ready(workload("web", 3), 3);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1"), running("i2", web, "n2"),
                    running("i3", web, "n3"), instance("i4", web, "n4", InstanceState.PENDING, NOW)),
                    alive("n1", "n2", "n3", "n4"));
            assertThat(p.actions()).containsExactly(new Stop("i4", "scale down to 3 replicas"));
        }

        @Test
        void scaleDownThenPrefersTheNodeWithTheMostReplicas() {
            Workload web = ready(workload("web", 2), 2);
            // n1 holds two replicas: one of them goes, the newest of the two.
            Instance a = instance("a", web, "n1", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(50)));
            Instance b = instance("b", web, "n1", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(40)));
            Instance c = instance("c", web, "n2", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(10)));
            ReconcilePlan p = plan(List.of(web), List.of(a, b, c), alive("n1", "n2"));
            assertThat(ids(p.stops())).containsExactly("b");
        }

        @Test
        void scaleDownRecountsNodesAfterEachPick() {
            Workload web = ready(workload("web", 2), 2);
            // n1 holds 3 replicas, n2 2, n3 1; four must go, always from the currently fullest node.
            List<Instance> all = List.of(
                    instance("a1", web, "n1", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(60))),
                    instance("a2", web, "n1", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(50))),
                    instance("a3", web, "n1", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(40))),
                    instance("b1", web, "n2", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(30))),
                    instance("b2", web, "n2", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(20))),
                    instance("c1", web, "n3", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(10))));
            ReconcilePlan p = plan(List.of(web), all, alive("n1", "n2", "n3"));
            // n1(3) -> a3; n1(2) ties n2(2), n2's newest is newer -> b2; n1(2) -> a2; all at 1, the newest
            // is c1 -> c1. The survivors, a1 and b1, sit on two different nodes.
            assertThat(ids(p.stops())).containsExactlyInAnyOrder("a3", "b2", "a2", "c1");
        }

        @Test
        void scaleDownThenPrefersTheNewest() {
            Workload web = ready(workload("web", 2), 2);
            Instance old = instance("x", web, "n1", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(50)));
            Instance newest = instance("y", web, "n2", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(5)));
            Instance mid = instance("z", web, "n3", InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(20)));
            ReconcilePlan p = plan(List.of(web), List.of(old, newest, mid), alive("n1", "n2", "n3"));
            assertThat(ids(p.stops())).containsExactly("y");
        }

        @Test
        void scaleDownRemovesFinishedReplicasBeforeStoppingRunningOnes() {
            Workload job = ready(workload("job", 2, RestartPolicy.NEVER), 2);
            ReconcilePlan p = plan(List.of(job), List.of(running("i1", job, "n1"), running("i2", job, "n1"),
                    exited("i3", job, "n1", InstanceState.STOPPED, 0)), alive("n1"));
            assertThat(p.actions()).containsExactly(new Remove("i3", "scale down to 2 replicas"));
        }

        @Test
        void scaleToZeroStopsEverything() {
            Workload web = scaled(ready(workload("web", 2), 2), 0);
            ReconcilePlan p = plan(List.of(web), List.of(running("i1", web, "n1"), running("i2", web, "n2")),
                    alive("n1", "n2"));
            assertThat(ids(p.stops())).containsExactly("i1", "i2");
            assertThat(p.statusUpdates()).containsExactly(new UpdateStatus("web", new WorkloadStatus(0, 0)));
        }

        @Test
        void aFinishedReplicaKeepsItsSlotOnScaleUp() {
            Workload job = scaled(workload("job", 1, RestartPolicy.NEVER), 3);
            ReconcilePlan p = plan(List.of(job), List.of(exited("i1", job, "n1", InstanceState.STOPPED, 0)),
                    alive("n1"));
            assertThat(p.places()).hasSize(2);
        }
    }

    @Nested
    class RollingReplace {
        private final Workload v1 = ready(workload("web", 3), 3);
        private final Workload v2 = withImage(v1, "busybox:2");

        private List<Instance> oldReplicas() {
            return List.of(running("o1", v1, "n1"), running("o2", v1, "n2"), running("o3", v1, "n3"));
        }

        private ReconcilePlan planV2(List<Instance> extra) {
            List<Instance> all = new java.util.ArrayList<>(oldReplicas());
            all.addAll(extra);
            return plan(List.of(v2), all, alive("n1", "n2", "n3"));
        }

        @Test
        void aTemplateChangeSurgesOneCurrentReplicaFirst() {
            ReconcilePlan p = planV2(List.of());
            assertThat(p.places()).singleElement().satisfies(pl -> {
                assertThat(pl.generation()).isEqualTo(v2.generation());
                assertThat(pl.reason()).isEqualTo("rolling replace to generation 2: 0 of 3 replaced");
            });
            assertThat(p.stops()).isEmpty();
        }

        @Test
        void aScaleChangeAloneDoesNotRoll() {
            Workload more = scaled(v1, 4);
            ReconcilePlan p = plan(List.of(more), oldReplicas(), alive("n1", "n2", "n3"));
            assertThat(p.places()).singleElement().satisfies(pl -> assertThat(pl.reason()).contains("missing replica"));
            assertThat(p.stops()).isEmpty();
        }

        @Test
        void itWaitsWhileTheNewReplicaStarts() {
            ReconcilePlan p = planV2(List.of(instance("c1", v2, "n1", InstanceState.STARTING, NOW)));
            assertThat(p.changesInstances()).isFalse();
        }

        @Test
        void aRunningNewReplicaRetiresOneOldAndSurgesTheNext() {
            ReconcilePlan p = planV2(List.of(running("c1", v2, "n1")));
            assertThat(p.stops()).singleElement().satisfies(s -> {
                assertThat(s.instanceId()).isEqualTo("o1"); // n1 holds two replicas: o1 and c1
                assertThat(s.reason()).isEqualTo("rolling replace: superseded by generation 2");
            });
            assertThat(p.places()).hasSize(1);
        }

        @Test
        void notRunningOldReplicasAreRetiredFirst() {
            List<Instance> olds = List.of(running("o1", v1, "n1"), running("o2", v1, "n2"),
                    instance("o3", v1, "n3", InstanceState.RESTARTING, NOW.minus(Duration.ofMinutes(9))));
            ReconcilePlan p = plan(List.of(v2), concat(olds, running("c1", v2, "n2")), alive("n1", "n2", "n3"));
            assertThat(ids(p.stops())).containsExactly("o3");
        }

        @Test
        void aCrashLoopingNewTemplateStallsTheRoll() {
            ReconcilePlan p = planV2(List.of(instance("c1", v2, "n1", InstanceState.RESTARTING, NOW)));
            assertThat(p.changesInstances()).isFalse();
        }

        @Test
        void aLostOldReplicaIsReplacedAndTheRollGoesOn() {
            Map<String, NodeState> nodes = alive("n1", "n2");
            nodes.put("n3", NodeState.DEAD);
            ReconcilePlan p = plan(List.of(v2), concat(oldReplicas(), running("c1", v2, "n1")), nodes);
            // o3 is gone: c1, o1 and o2 are the three replicas, so the next current one surges.
            assertThat(ids(p.removes())).containsExactly("o3");
            assertThat(p.stops()).isEmpty();
            assertThat(p.places()).singleElement().satisfies(pl -> assertThat(pl.reason()).contains("1 of 3 replaced"));
        }

        @Test
        void lostReplicasAreRestoredAtOnceWithoutWaitingForTheStartingOne() {
            Map<String, NodeState> nodes = alive("n1");
            nodes.put("n2", NodeState.DEAD);
            nodes.put("n3", NodeState.DEAD);
            ReconcilePlan p = plan(List.of(v2), concat(oldReplicas(),
                    instance("c1", v2, "n1", InstanceState.STARTING, NOW)), nodes);
            assertThat(ids(p.removes())).containsExactly("o2", "o3");
            assertThat(p.stops()).isEmpty();
            assertThat(p.places()).singleElement().satisfies(pl -> assertThat(pl.reason()).contains("2 of 3 present"));
        }

        @Test
        void scaleUpDuringARollPlacesTheDifferenceAtOnce() {
            Workload v2five = scaled(v2, 5);
            ReconcilePlan p = plan(List.of(v2five), oldReplicas(), alive("n1", "n2", "n3"));
            assertThat(p.places()).hasSize(2);
            assertThat(p.stops()).isEmpty();
        }

        @Test
        void scaleDownDuringARollKeepsAtMostOneExtra() {
            Workload v2one = scaled(v2, 1);
            ReconcilePlan p = plan(List.of(v2one), oldReplicas(), alive("n1", "n2", "n3"));
            // 3 old active, desired 1: two retire now; the last one stays until the new one runs.
            assertThat(p.stops()).hasSize(2);
            assertThat(p.places()).hasSize(1);
        }

        @Test
        void aFinishedReplicaOfAnOldTemplateIsReplaced() {
            Workload job1 = ready(workload("job", 1, RestartPolicy.NEVER), 0);
            Workload job2 = withImage(job1, "busybox:2");
            ReconcilePlan p = plan(List.of(job2), List.of(exited("i1", job1, "n1", InstanceState.STOPPED, 0)),
                    alive("n1"));
            assertThat(p.removes()).singleElement().satisfies(r -> assertThat(r.reason()).contains("outdated template"));
            assertThat(p.places()).hasSize(1);
        }

        @Test
        void theLastOldReplicaRetiresWhenAllCurrentOnesRun() {
            ReconcilePlan p = plan(List.of(v2), List.of(running("o3", v1, "n3"), running("c1", v2, "n1"),
                    running("c2", v2, "n2"), running("c3", v2, "n3")), alive("n1", "n2", "n3"));
            assertThat(ids(p.stops())).containsExactly("o3");
            assertThat(p.places()).isEmpty();
        }

        private static List<Instance> concat(List<Instance> a, Instance b) {
            List<Instance> all = new java.util.ArrayList<>(a);
            all.add(b);
            return all;
        }
    }

    @Nested
    class Actions {
        @Test
        void actionsRejectEmptyFields() {
            assertThatThrownBy(() -> new Place(" ", 1, "x")).hasMessage("workload must not be empty");
            assertThatThrownBy(() -> new Place("web", 0, "x")).hasMessage("generation must be at least 1, got 0");
            assertThatThrownBy(() -> new Stop("", "x")).hasMessage("instanceId must not be empty");
            assertThatThrownBy(() -> new Remove("i1", null)).hasMessage("reason must not be empty");
        }

        @Test
        void actionsDescribeThemselves() {
            assertThat(new Stop("i1", "scale down to 2 replicas").describe()).isEqualTo("stop i1: scale down to 2 replicas");
            assertThat(new UpdateStatus("web", new WorkloadStatus(3, 1)).describe()).isEqualTo("status of web: 1/3 ready");
        }

        @Test
        void aPlanSplitsItsActionsByKind() {
            ReconcilePlan p = new ReconcilePlan(List.of(new Remove("i1", "x"), new Place("web", 1, "y"),
                    new Stop("i2", "z"), new UpdateStatus("web", new WorkloadStatus(1, 0))));
            assertThat(p.removes()).containsExactly(new Remove("i1", "x"));
            assertThat(p.places()).containsExactly(new Place("web", 1, "y"));
            assertThat(p.stops()).containsExactly(new Stop("i2", "z"));
            assertThat(p.statusUpdates()).hasSize(1);
            assertThat(p.changesInstances()).isTrue();
            assertThat(ReconcilePlan.empty().isEmpty()).isTrue();
        }
    }
}
