package dev.hypha.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the reconciler through many seeded random histories — scale and template changes,
 * deleted workloads, node deaths and returns, agents that start, crash and stop instances, time
 * passing — applying every plan to an in-memory cluster as the controller would, and checks the
 * invariants after each plan and convergence at the end.
 */
class ReconcilerPropertyTest {
    private static final int STEPS = 150;

    static LongStream seeds() {
        return LongStream.range(0, 200).map(i -> 0x5EED_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomHistoriesKeepTheInvariantsAndConverge(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed);
        try {
            for (int step = 0; step < STEPS; step++) {
                int events = 1 + cluster.rng.nextInt(3);
                for (int e = 0; e < events; e++) cluster.randomEvent();
                cluster.reconcileAndCheck();
            }
            cluster.settle();
            cluster.checkConverged();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " failed; last events:\n  " + String.join("\n  ", cluster.history),
                    e);
        }
    }

    /** The store, the nodes and their agents, in memory, driven by one seeded generator. */
    static final class SimulatedCluster {
        private static final List<String> NAMES = List.of("api", "db", "web");
        private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");

        final RandomGenerator rng;
        final Map<String, NodeState> nodes = new TreeMap<>();
        final Map<String, Workload> workloads = new TreeMap<>();
        final Map<String, Instance> instances = new TreeMap<>();
        final Deque<String> history = new ArrayDeque<>();
        Instant now = Instant.parse("2025-06-01T00:00:00Z");
        int nextInstance;
        int nextImage;

        SimulatedCluster(long seed) {
            rng = new SplittableRandom(seed);
            for (String n : NODES) nodes.put(n, NodeState.ALIVE);
        }

        void randomEvent() {
            int roll = rng.nextInt(100);
            if (roll < 15) upsertWorkload();
            else if (roll < 25) changeTemplate();
            else if (roll < 29) deleteWorkload();
            else if (roll < 38) changeNode();
            else if (roll < 78) agentsProgress(0.6);
            else if (roll < 90) crash();
            else advanceTime();
        }

        private void upsertWorkload() {
            String name = pick(NAMES);
            Workload w = workloads.get(name);
            int replicas = rng.nextInt(7);
            if (w == null) {
                RestartPolicy policy = pick(List.of(RestartPolicy.values()));
                WorkloadSpec spec = new WorkloadSpec(name, "img:" + nextImage++, null, replicas, new Resources(100, 64, 0),
                        policy, null, null, null);
                workloads.put(name, Workload.create(spec, now, null));
                log("create " + name + " x" + replicas + " " + policy.wire());
            } else {
                workloads.put(name, w.update(w.spec().withReplicas(replicas)));
                log("scale " + name + " to " + replicas);
            }
        }

        private void changeTemplate() {
            if (workloads.isEmpty()) return;
            Workload w = workloads.get(pick(List.copyOf(workloads.keySet())));
            WorkloadSpec s = w.spec();
            RestartPolicy policy = rng.nextInt(4) == 0 ? pick(List.of(RestartPolicy.values())) : s.restartPolicy();
            workloads.put(w.name(), w.update(new WorkloadSpec(s.name(), "img:" + nextImage++, s.command(), s.replicas(),
                    s.resources(), policy, s.member(), s.env(), s.placement())));
            log("new template for " + w.name() + " (" + policy.wire() + ")");
        }

        private void deleteWorkload() {
            if (workloads.isEmpty()) return;
            String name = pick(List.copyOf(workloads.keySet()));
            workloads.remove(name);
            log("delete " + name);
        }

        private void changeNode() {
            String node = pick(NODES);
            NodeState to = pick(List.of(NodeState.values()));
            boolean forget = rng.nextInt(10) == 0;
            long aliveElsewhere = nodes.entrySet().stream()
                    .filter(e -> !e.getKey().equals(node) && e.getValue() == NodeState.ALIVE).count();
            if (to != NodeState.ALIVE && aliveElsewhere == 0) return; // keep one node to place on
            if (forget && to != NodeState.ALIVE) {
                nodes.remove(node);
                log("forget node " + node);
            } else {
                nodes.put(node, to);
                log("node " + node + " " + to.wire());
            }
        }

        /** Agents on alive nodes move instances on with probability {@code p} each. */
        private void agentsProgress(double p) {
            for (Instance i : List.copyOf(instances.values())) {
                if (nodes.get(i.nodeId()) != NodeState.ALIVE || rng.nextDouble() >= p) continue;
                Instance next = advance(i);
                if (next != i) instances.put(i.id(), next);
            }
            log("agents progress");
        }

        private static Instance advance(Instance i) {
            if (i.desired() == DesiredState.STOP) {
                return switch (i.state()) {
                    case STOPPED, FAILED -> i;
                    case RUNNING -> i.withState(InstanceState.STOPPING, "stopping");
                    default -> exit(i, InstanceState.STOPPED, 143);
                };
            }
            return switch (i.state()) {
                case PENDING -> i.withState(InstanceState.STARTING, "starting");
                case STARTING, RESTARTING -> i.withState(InstanceState.RUNNING, "running");
                case STOPPING -> exit(i, InstanceState.STOPPED, 0);
                default -> i;
            };
        }

        private void crash() {
            List<Instance> runningOnes = instances.values().stream()
                    .filter(i -> i.state() == InstanceState.RUNNING && i.desired() == DesiredState.RUN).toList();
            if (runningOnes.isEmpty()) return;
            Instance victim = pick(runningOnes);
            Instance crashed = switch (rng.nextInt(3)) {
                case 0 -> exit(victim, InstanceState.FAILED, 1);
                case 1 -> exit(victim, InstanceState.STOPPED, 0);
                default -> victim.withState(InstanceState.RESTARTING, "back-off");
            };
            instances.put(victim.id(), crashed);
            log("crash " + victim.id() + " -> " + crashed.state().wire());
        }

        private void advanceTime() {
            Duration d = Duration.ofSeconds(10 + rng.nextInt(600));
            now = now.plus(d);
            log("time +" + d.toSeconds() + "s");
        }

        private static Instance exit(Instance i, InstanceState state, int code) {
            return new Instance(i.id(), i.workload(), i.generation(), i.nodeId(), i.desired(), state, i.containerId(),
                    null, i.restarts(), i.createdAt(), i.startedAt(), code, "exit " + code, i.metrics(), i.spec());
        }

        /** One controller pass: plan, check determinism, apply, check bounds and idempotence. */
        ReconcilePlan reconcileAndCheck() {
            ReconcilePlan plan = planNow(false);
            assertThat(planNow(true)).as("same input in another order gives the same plan").isEqualTo(plan);
            apply(plan);
            checkBounds();
            assertThat(planNow(false).actions()).as("planning again after applying the plan").isEmpty();
            return plan;
        }

        private ReconcilePlan planNow(boolean shuffled) {
            List<Workload> ws = new ArrayList<>(workloads.values());
            List<Instance> is = new ArrayList<>(instances.values());
            Map<String, NodeState> ns = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>(nodes.keySet());
            if (shuffled) {
                Collections.shuffle(ws, new java.util.Random(rng.nextLong()));
                Collections.shuffle(is, new java.util.Random(rng.nextLong()));
                Collections.shuffle(keys, new java.util.Random(rng.nextLong()));
            }
            for (String k : keys) ns.put(k, nodes.get(k));
            return Reconciler.plan(ws, is, ns, now);
        }

        private void apply(ReconcilePlan plan) {
            List<String> alive = nodes.entrySet().stream().filter(e -> e.getValue() == NodeState.ALIVE)
                    .map(Map.Entry::getKey).toList();
            for (Action a : plan.actions()) {
                switch (a) {
                    case Action.Place p -> {
                        Workload w = workloads.get(p.workload());
                        assertThat(w).as("placed workload exists").isNotNull();
                        assertThat(p.generation()).isEqualTo(w.generation());
                        String id = String.format("i%05d", nextInstance++);
                        instances.put(id, Instance.assign(id, w, pick(alive), now));
                    }
                    case Action.Stop s -> {
                        Instance i = instances.get(s.instanceId());
                        assertThat(i).as("stopped instance exists").isNotNull();
                        assertThat(i.desired()).as("stop only what should run").isEqualTo(DesiredState.RUN);
                        instances.put(i.id(), i.withDesired(DesiredState.STOP, s.reason()));
                    }
                    case Action.Remove r ->
                            assertThat(instances.remove(r.instanceId())).as("removed instance exists").isNotNull();
                    case Action.UpdateStatus u -> {
                        Workload w = workloads.get(u.workload());
                        assertThat(w).isNotNull();
                        assertThat(u.status()).isNotEqualTo(w.status());
                        workloads.put(w.name(), w.withStatus(u.status()));
                    }
                }
            }
            log("applied " + plan.actions().size() + " actions: " + plan.actions().stream().map(Action::describe).toList());
        }

        /** Never more active than desired, or desired + 1 while outdated replicas remain. */
        private void checkBounds() {
            for (Workload w : workloads.values()) {
                List<Instance> active = instancesOf(w).stream().filter(Instance::isActive).toList();
                boolean rolling = active.stream().anyMatch(i -> !isCurrent(w, i));
                int limit = w.replicas() + (rolling ? 1 : 0);
                assertThat(active.size()).as("active replicas of %s (desired %d, rolling %s)", w.name(), w.replicas(),
                        rolling).isLessThanOrEqualTo(limit);
                for (Instance i : instancesOf(w)) {
                    assertThat(nodes.get(i.nodeId())).as("node of %s", i.id())
                            .isIn(NodeState.ALIVE, NodeState.SUSPECT);
                }
            }
            for (Instance i : instances.values()) {
                if (!workloads.containsKey(i.workload())) {
                    assertThat(i.desired()).as("instance %s of a deleted workload", i.id()).isEqualTo(DesiredState.STOP);
                }
            }
        }

        /** Suspicions resolve, agents finish their work, and the controller runs until nothing changes. */
        void settle() {
            for (String n : List.copyOf(nodes.keySet())) {
                if (nodes.get(n) == NodeState.SUSPECT) nodes.put(n, rng.nextBoolean() ? NodeState.ALIVE : NodeState.DEAD);
            }
            if (!nodes.containsValue(NodeState.ALIVE)) nodes.put("n1", NodeState.ALIVE);
            log("settle");
            for (int round = 0; round < 200; round++) {
                Map<String, Instance> before = new TreeMap<>(instances);
                for (int k = 0; k < 3; k++) agentsProgress(1.0);
                ReconcilePlan plan = reconcileAndCheck();
                if (plan.isEmpty() && before.equals(instances)) return;
            }
            throw new AssertionError("did not converge within 200 rounds");
        }

        void checkConverged() {
            for (Instance i : instances.values()) {
                assertThat(workloads).as("instance %s belongs to a workload", i.id()).containsKey(i.workload());
            }
            for (Workload w : workloads.values()) {
                List<Instance> own = instancesOf(w);
                assertThat(own).as("instances of %s", w.name()).hasSize(w.replicas()).allSatisfy(i -> {
                    assertThat(i.desired()).isEqualTo(DesiredState.RUN);
                    assertThat(isCurrent(w, i)).as("%s is current", i.id()).isTrue();
                    boolean finished = i.state().isTerminal() && !i.spec().restartPolicy().restarts(i.exitCode());
                    assertThat(i.state() == InstanceState.RUNNING || finished).as("%s runs or finished", i.id()).isTrue();
                });
                long running = own.stream().filter(i -> i.state() == InstanceState.RUNNING).count();
                assertThat(w.status()).isEqualTo(new dev.hypha.model.WorkloadStatus(w.replicas(), (int) running));
            }
        }

        private List<Instance> instancesOf(Workload w) {
            return instances.values().stream().filter(i -> i.workload().equals(w.name())).toList();
        }

        private static boolean isCurrent(Workload w, Instance i) {
            return !w.spec().templateDiffers(i.spec());
        }

        private <T> T pick(List<T> from) {
            return from.get(rng.nextInt(from.size()));
        }

        private void log(String event) {
            history.addLast(event);
            if (history.size() > 40) history.removeFirst();
        }
    }
}
