package dev.hypha.server.control;

import dev.hypha.core.reconcile.Action;
import dev.hypha.core.reconcile.ReconcilePlan;
import dev.hypha.core.reconcile.Reconciler;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Workload;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import dev.hypha.store.PlacementRecord;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Called serially by one thread (the leader's controller loop).
 */
public final class WorkloadController {
    private static final Logger log = LoggerFactory.getLogger(WorkloadController.class);
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

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
        List<Workload> workloads = store.workloads().values();
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
        for (Action action : plan.actions()) {
            switch (action) {
                case Action.Place p -> place(store, byName.get(p.workload()), view, revision, now,
                        placedPerWorkload.merge(p.workload(), 1, Integer::sum));
                case Action.Stop s -> stop(store, byId.get(s.instanceId()), s.reason());
                case Action.Remove r -> remove(store, byId.get(r.instanceId()), r.reason());
                case Action.UpdateStatus u -> store.workloads().modify(u.workload(),
                        w -> w.generation() == generationOf(byName, u.workload()) ? w.withStatus(u.status()) : null);
            }
        }
        return plan;
    }

    private static long generationOf(Map<String, Workload> byName, String name) {
        Workload w = byName.get(name);
        return w == null ? -1 : w.generation();
    }

    private void place(StateStore store, Workload w, ClusterView view, long revision, Instant now, int ordinal) {
        if (w == null) return;
        String instanceId = newInstanceId(w.name());
        PlacementRequest req = new PlacementRequest(w.spec(), instanceId, Objects.hash(revision, w.name(), ordinal));
        Placement placement = scheduler.schedule(req, view.snapshot());
        switch (placement) {
            case Placement.Assigned a -> {
                Instance inst = Instance.assign(instanceId, w, a.nodeId(), now);
                if (store.instances().create(instanceId, inst)) {
                    view.add(a.nodeId(), w.name(), w.resources());
                    store.decisions().put(decisionKey(w.name(), instanceId),
                            new PlacementRecord(w.name(), instanceId, now, "assigned", a.nodeId(), a.decision()));
                    store.decisions().delete(decisionKey(w.name(), UNPLACED));
                    log.info("placed {} on {}", instanceId, a.nodeId());
                }
            }
            case Placement.Unplaceable u -> {
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
