package dev.hypha.server.intent;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Json;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.server.Schedulers;
import dev.hypha.server.control.WorkloadController;
import dev.hypha.spi.Scheduler;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A state store with hand-made nodes and the server's real controllers, driven one pass at a time
 * with a fixed clock: no threads, no HTTP. The agents' part (starting and stopping replicas) is
 * played by {@link #agentsReport()}. Every node offers 4 cores and 8 GiB unless a test says
 * otherwise.
 */
final class ControllerBench implements AutoCloseable {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Resources NODE = new Resources(4000, 8192, 20480);

    final StateStore store;
    final InstantSource clock = InstantSource.fixed(T0);
    final Scheduler scheduler = Schedulers.forProfile("simple");
    final WorkloadController workloads;
    final IntentController intents;
    final IntentAdmission admission;

    ControllerBench(Path dir) {
        this.store = new StateStore(new SqliteKvStore(dir.resolve("state.db")));
        this.workloads = new WorkloadController(new PlanSteeringScheduler(scheduler, new IntentBook(store)), clock);
        this.intents = new IntentController(scheduler, clock);
        this.admission = new IntentAdmission(store, clock, new SplittableRandom(7));
    }

    void node(String id, String region, double costPerHour, double carbonIntensity) {
        store.nodes().put(id, new Node(id, null, NodeState.ALIVE, region, NODE, costPerHour, carbonIntensity,
                PowerProfile.DEFAULT, null, null, T0, T0));
    }

    void setState(String id, NodeState state) {
        store.nodes().modify(id, n -> n.withState(state, T0));
    }

    void setPrice(String id, double costPerHour) {
        store.nodes().modify(id, n -> new Node(n.id(), n.member(), n.state(), n.region(), n.capacity(), costPerHour,
                n.carbonIntensity(), n.power(), n.address(), n.agentUrl(), n.registeredAt(), n.lastSeen()));
    }

    /** Submits an intent (JSON, as the API takes it) and returns it as stored. */
    Intent create(String json) {
        IntentSpec spec = Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), IntentSpec.class);
        return switch (admission.admit(spec, true)) {
            case IntentAdmission.Created c -> c.intent();
            case IntentAdmission.Planned p -> throw new AssertionError("dry run: " + p);
            case IntentAdmission.Replaced r -> throw new AssertionError("a new intent replaced another: " + r);
            case IntentAdmission.Refused r -> throw new AssertionError("refused: " + r.result().detail());
        };
    }

    /** One leader pass: the workload controller, then the intent controller; returns the intent controller's writes. */
    List<IntentChange> pass() {
        workloads.reconcileOnce(store);
        return intents.reconcileOnce(store);
    }

    /** What agents would report: assigned replicas run, replicas asked to stop have stopped. Returns how many changed. */
    int agentsReport() {
        int changed = 0;
        for (Instance i : store.instances().values()) {
            Node node = store.nodes().value(i.nodeId()).orElse(null);
            if (node == null || node.state() != NodeState.ALIVE) continue;
            InstanceState next = i.desired() == DesiredState.STOP
                    ? (i.state().isTerminal() ? null : InstanceState.STOPPED)
                    : (i.state() == InstanceState.RUNNING ? null : InstanceState.RUNNING);
            if (next != null && store.instances().modify(i.id(), cur -> cur.withState(next, null)).isPresent()) changed++;
        }
        return changed;
    }

    /**
     * Passes and agent reports until nothing changes any more; returns every intent-controller
     * write on the way. Fails when the cluster does not settle within 30 rounds (a write loop).
     */
    List<IntentChange> settle() {
        List<IntentChange> all = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            long before = store.kv().revision();
            all.addAll(pass());
            agentsReport();
            if (store.kv().revision() == before) return all;
        }
        throw new AssertionError("the cluster did not settle in 30 rounds; last writes: " + all.subList(
                Math.max(0, all.size() - 5), all.size()));
    }

    Intent intent(String id) {
        return store.intents().value(id).orElseThrow(() -> new AssertionError("no intent " + id));
    }

    Workload workload(String name) {
        return store.workloads().value(name).orElseThrow(() -> new AssertionError("no workload " + name));
    }

    /** The replicas of a workload that are desired to run and active. */
    List<Instance> active(String workload) {
        return store.instances().values().stream().filter(i -> i.workload().equals(workload) && i.isActive()).toList();
    }

    /** The nodes of a workload's active replicas, sorted (a node once per replica). */
    List<String> nodesOf(String workload) {
        return active(workload).stream().map(Instance::nodeId).sorted().toList();
    }

    @Override
    public void close() {
        store.close();
    }
}
