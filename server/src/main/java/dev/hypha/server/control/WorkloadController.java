package dev.hypha.server.control;

import dev.hypha.core.reconcile.Action;
import dev.hypha.core.reconcile.ReconcilePlan;
import dev.hypha.core.reconcile.Reconciler;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Workload;
import dev.hypha.spi.KvStore;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import dev.hypha.store.PlacementRecord;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every workload at its desired replicas: one pass reads a snapshot of workloads, instances
 * and nodes, asks the pure {@link Reconciler} for a plan, binds each {@code Place} through the
 * {@link Scheduler}, and writes the results with compare-and-swap. A write that lost a race is
 * left for the next pass, which plans from fresh state; nothing is forced.
 *
 * <p>Placements are written in batches: each new instance with its placement record, up to
 * {@link #PLACEMENTS_PER_COMMIT} instances in one transaction, and the status updates of a pass in
 * one more. Every write is synced to disk, so one transaction per record capped a pass at the
 * disk's sync rate (measured: about 40 placements per second through the API with SQLite); a
 * batch costs one sync. A batch that loses a race (the leader lost its lease, an instance id was
 * taken) writes nothing, and the rest of the pass's placements are left for the next pass.
 *
 * <p>Called serially by one thread (the leader's controller loop).
 */
public final class WorkloadController {
    private static final Logger log = LoggerFactory.getLogger(WorkloadController.class);
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    /**
     * Instances written per transaction at most: each adds a condition and two or three operations,
     * and etcd allows 128 operations per transaction by default.
     */
    static final int PLACEMENTS_PER_COMMIT = 40;

    private final Scheduler scheduler;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    public WorkloadController(Scheduler scheduler, InstantSource clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * One reconcile pass over {@code store} (the leader passes its fenced view); returns the plan it
     * carried out (for tests and logs).
     */
    public ReconcilePlan reconcileOnce(StateStore store) {
        // 1. Read a snapshot (the store gives each list consistently at its own revision).
        long revision = store.kv().revision();
        List<Versioned<Workload>> versionedWorkloads = store.workloads().list();
        List<Workload> workloads = versionedWorkloads.stream().map(Versioned::value).toList();
        List<Versioned<Instance>> instances = store.instances().list();
        List<Node> nodes = store.nodes().values();
        Instant now = clock.instant();

        // 2. Plan, purely.
        Map<String, NodeState> nodeStates = nodes.stream().collect(Collectors.toMap(Node::id, Node::state));
        List<Instance> instanceValues = instances.stream().map(Versioned::value).toList();
        ReconcilePlan plan = Reconciler.plan(workloads, instanceValues, nodeStates, now);
        if (plan.actions().isEmpty()) return plan;

        // 3. Act, one idempotent write per action.
        Map<String, Workload> byName = workloads.stream().collect(Collectors.toMap(Workload::name, Function.identity()));
        Map<String, Versioned<Instance>> byId = instances.stream()
                .collect(Collectors.toMap(v -> v.value().id(), Function.identity()));
        ClusterView view = new ClusterView(nodes, instanceValues, Map.of(), Map.of(), revision);
        Map<String, Integer> placedPerWorkload = new HashMap<>();
        Placements placements = new Placements(store);
        List<Action.UpdateStatus> statuses = new ArrayList<>();
        for (Action action : plan.actions()) {
            switch (action) {
                case Action.Place p -> place(store, placements, byName.get(p.workload()), view, revision, now,
                        placedPerWorkload.merge(p.workload(), 1, Integer::sum));
                case Action.Stop s -> stop(store, byId.get(s.instanceId()), s.reason());
                case Action.Remove r -> remove(store, byId.get(r.instanceId()), r.reason());
                case Action.UpdateStatus u -> statuses.add(u);
            }
        }
        placements.flush();
        updateStatuses(store, statuses, versionedWorkloads);
        return plan;
    }

    /**
     * Writes the pass's status updates in one transaction, each on condition that its workload is
     * unchanged since the pass read it; if any changed meanwhile (a user scaled it), each is
     * written on its own as before, where the generation check decides.
     */
    private static void updateStatuses(StateStore store, List<Action.UpdateStatus> statuses,
                                       List<Versioned<Workload>> workloads) {
        if (statuses.isEmpty()) return;
        Map<String, Versioned<Workload>> read = new HashMap<>();
        for (Versioned<Workload> v : workloads) read.put(v.value().name(), v);
        List<KvStore.Compare> compares = new ArrayList<>();
        List<KvStore.Op> ops = new ArrayList<>();
        for (Action.UpdateStatus u : statuses) {
            Versioned<Workload> v = read.get(u.workload());
            if (v == null) continue;
            compares.add(store.workloads().unchangedSince(u.workload(), v.modRevision()));
            ops.add(store.workloads().putOp(u.workload(), v.value().withStatus(u.status())));
        }
        if (ops.isEmpty() || store.commit(compares, ops)) return;
        for (Action.UpdateStatus u : statuses) {
            Versioned<Workload> v = read.get(u.workload());
            long generation = v == null ? -1 : v.value().generation();
            store.workloads().modify(u.workload(), w -> w.generation() == generation ? w.withStatus(u.status()) : null);
        }
    }

    /**
     * The placements of one pass waiting to be written: each instance on condition that its id is
     * free, with its placement record and the removal of its workload's "unplaced" marker.
     */
    private static final class Placements {
        private final StateStore store;
        private final List<KvStore.Compare> compares = new ArrayList<>();
        private final List<KvStore.Op> ops = new ArrayList<>();
        private final Set<String> unplacedCleared = new HashSet<>();
        private final List<String> logLines = new ArrayList<>();
        private int count;
        private boolean failed;

        Placements(StateStore store) {
            this.store = store;
        }

        /** Whether a batch of this pass failed to commit: then nothing more is placed this pass. */
        boolean failed() {
            return failed;
        }

        void add(Instance instance, PlacementRecord record) {
            compares.add(store.instances().absent(instance.id()));
            ops.add(store.instances().putOp(instance.id(), instance));
            ops.add(store.decisions().putOp(decisionKey(instance.workload(), instance.id()), record));
            if (unplacedCleared.add(instance.workload())) {
                ops.add(store.decisions().deleteOp(decisionKey(instance.workload(), UNPLACED)));
            }
            logLines.add(instance.id() + " on " + instance.nodeId());
            if (++count == PLACEMENTS_PER_COMMIT) flush();
        }

        void flush() {
            if (count == 0) return;
            if (store.commit(compares, ops)) {
                for (String line : logLines) log.info("placed {}", line);
            } else {
                failed = true;
                log.info("a batch of {} placements lost a race (leadership or an instance id); the next pass retries",
                        count);
            }
            compares.clear();
            ops.clear();
            unplacedCleared.clear();
            logLines.clear();
            count = 0;
        }
    }

    private void place(StateStore store, Placements placements, Workload w, ClusterView view, long revision,
                       Instant now, int ordinal) {
        if (w == null || placements.failed()) return;
        String instanceId = newInstanceId(w.name());
        PlacementRequest req = new PlacementRequest(w.spec(), instanceId, Objects.hash(revision, w.name(), ordinal));
        Placement placement = scheduler.schedule(req, view.snapshot());
        switch (placement) {
            case Placement.Assigned a -> {
                Instance inst = Instance.assign(instanceId, w, a.nodeId(), now);
                view.add(a.nodeId(), w.name(), w.resources());
                placements.add(inst, new PlacementRecord(w.name(), instanceId, now, "assigned", a.nodeId(), a.decision()));
            }
            case Placement.Unplaceable u -> {
                // Placements of this workload waiting in the batch would clear the marker written below.
                placements.flush();
                // Keep only the latest reason; rewriting an unchanged reason every pass would churn the store.
                Optional<PlacementRecord> last = store.decisions().value(decisionKey(w.name(), UNPLACED));
                if (last.isEmpty() || !last.get().decision().rejectionCounts().equals(u.decision().rejectionCounts())) {
                    store.decisions().put(decisionKey(w.name(), UNPLACED),
                            new PlacementRecord(w.name(), null, now, "unplaceable", null, u.decision()));
                    log.info("cannot place a replica of {}: {}", w.name(), u.decision().rejectionCounts());
                }
            }
        }
    }

    /** Marker key for the latest failed placement of a workload. */
    public static final String UNPLACED = "~unplaced";

    public static String decisionKey(String workload, String instanceId) {
        return workload + "/" + instanceId;
    }

    private void stop(StateStore store, Versioned<Instance> v, String reason) {
        if (v == null) return;
        store.instances().modify(v.value().id(),
                i -> i.desired() == DesiredState.STOP ? null : i.withDesired(DesiredState.STOP, reason));
    }

    private void remove(StateStore store, Versioned<Instance> v, String reason) {
        if (v == null) return;
        Instance i = v.value();
        if (store.instances().delete(i.id(), v.modRevision())) {
            store.decisions().delete(decisionKey(i.workload(), i.id()));
            log.info("removed {} ({})", i.id(), reason);
        }
    }

    private String newInstanceId(String workload) {
        StringBuilder sb = new StringBuilder(workload).append('-');
        for (int k = 0; k < 5; k++) sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return sb.toString();
    }
}
