package dev.hypha.server.control;

import dev.hypha.core.economy.Pledges;
import dev.hypha.core.reconcile.Action;
import dev.hypha.core.reconcile.ReconcilePlan;
import dev.hypha.core.reconcile.Reconciler;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.economy.Pledge;
import dev.hypha.server.economy.EconomyService;
import dev.hypha.server.economy.EconomyView;
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
import java.util.Comparator;
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
 * <p>The economy takes part in every pass: the scheduler sees each node's reputation and each
 * member's balance; replicas of members in good standing are placed before those of members below
 * their soft credit limit ({@code CreditPolicy.placementOrder}); placing a replica writes its
 * {@link Pledge} (host node's member to the workload's member) in the same transaction as the
 * instance, and removing the instance releases the pledge in the same transaction as the delete;
 * an instance removed because its node died counts against the node's reputation.
 *
 * <p>Called serially by one thread (the leader's controller loop).
 */
public final class WorkloadController {
    private static final Logger log = LoggerFactory.getLogger(WorkloadController.class);
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final Scheduler scheduler;
    private final InstantSource clock;
    /** Null only in the economy-less constructor. */
    private final EconomyService economy;
    private final SecureRandom random = new SecureRandom();

    public WorkloadController(Scheduler scheduler, InstantSource clock, EconomyService economy) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.economy = Objects.requireNonNull(economy, "economy");
    }

    /**
     * A controller without the economy's view, for tests of placement alone: every node is neutral,
     * every member at zero, and lost instances are not recorded. Pledges are still written with
     * their instances, so the credit graph stays whole.
     */
    public WorkloadController(Scheduler scheduler, InstantSource clock) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.economy = null;
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

        // 3. Act, one idempotent write per action; placements last, members in good standing first.
        Map<String, Workload> byName = workloads.stream().collect(Collectors.toMap(Workload::name, Function.identity()));
        Map<String, Versioned<Instance>> byId = instances.stream()
                .collect(Collectors.toMap(v -> v.value().id(), Function.identity()));
        EconomyView economyView = economy == null ? null : economy.view();
        ClusterView view = economyView == null ? new ClusterView(nodes, instanceValues, Map.of(), Map.of(), revision)
                : new ClusterView(nodes, instanceValues, economyView.reputations(), economyView.balances(), revision);
        Map<String, Integer> placedPerWorkload = new HashMap<>();
        boolean pledgesChanged = false;
        List<Action> actions = economyView == null ? plan.actions() : inCreditOrder(plan.actions(), byName, economyView);
        for (Action action : actions) {
            switch (action) {
                case Action.Place p -> pledgesChanged |= place(store, byName.get(p.workload()), view, revision, now,
                        placedPerWorkload.merge(p.workload(), 1, Integer::sum));
                case Action.Stop s -> stop(store, byId.get(s.instanceId()), s.reason());
                case Action.Remove r -> pledgesChanged |= remove(store, byId.get(r.instanceId()), r.reason(),
                        nodeStates, now);
                case Action.UpdateStatus u -> store.workloads().modify(u.workload(),
                        w -> w.generation() == generationOf(byName, u.workload()) ? w.withStatus(u.status()) : null);
            }
        }
        if (pledgesChanged && economy != null) economy.invalidate();
        return plan;
    }

    /**
     * The plan's actions with every placement moved after the other actions (stops and removals
     * free capacity first), and placements ordered by their member's credit standing: members in
     * good standing first, then those below their soft limit, then those below their hard limit;
     * the plan's own order is kept within a member.
     */
    public static List<Action> inCreditOrder(List<Action> actions, Map<String, Workload> byName, EconomyView economy) {
        List<Action> out = new ArrayList<>(actions.size());
        List<Action.Place> places = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Action.Place p) places.add(p);
            else out.add(a);
        }
        Comparator<String> members = economy.creditPolicy().placementOrder(economy::balanceOf);
        places.sort(Comparator.comparing(p -> memberOf(byName, p.workload()), members)); // stable
        out.addAll(places);
        return out;
    }

    private static String memberOf(Map<String, Workload> byName, String workload) {
        Workload w = byName.get(workload);
        return w == null ? WorkloadSpec.DEFAULT_MEMBER : w.member();
    }

    private static long generationOf(Map<String, Workload> byName, String name) {
        Workload w = byName.get(name);
        return w == null ? -1 : w.generation();
    }

    /** Places one replica; returns whether it wrote an instance (and its pledge). */
    private boolean place(StateStore store, Workload w, ClusterView view, long revision, Instant now, int ordinal) {
        if (w == null) return false;
        String instanceId = newInstanceId(w.name());
        PlacementRequest req = new PlacementRequest(w.spec(), instanceId, Objects.hash(revision, w.name(), ordinal));
        Placement placement = scheduler.schedule(req, view.snapshot());
        switch (placement) {
            case Placement.Assigned a -> {
                Instance inst = Instance.assign(instanceId, w, a.nodeId(), now);
                Pledge pledge = Pledges.forPlacement(inst, view.node(a.nodeId()), now);
                // The instance and its pledge exist together or not at all.
                boolean created = store.commit(
                        List.of(store.instances().absent(instanceId), store.pledges().absent(instanceId)),
                        List.of(store.instances().putOp(instanceId, inst), store.pledges().putOp(instanceId, pledge)));
                if (created) {
                    view.add(a.nodeId(), w.name(), w.resources());
                    store.decisions().put(decisionKey(w.name(), instanceId),
                            new PlacementRecord(w.name(), instanceId, now, "assigned", a.nodeId(), a.decision()));
                    store.decisions().delete(decisionKey(w.name(), UNPLACED));
                    log.info("placed {} on {}", instanceId, a.nodeId());
                }
                return created;
            }
            case Placement.Unplaceable u -> {
                // Keep only the latest reason; rewriting an unchanged reason every pass would churn the store.
                Optional<PlacementRecord> last = store.decisions().value(decisionKey(w.name(), UNPLACED));
                if (last.isEmpty() || !last.get().decision().rejectionCounts().equals(u.decision().rejectionCounts())) {
                    store.decisions().put(decisionKey(w.name(), UNPLACED),
                            new PlacementRecord(w.name(), null, now, "unplaceable", null, u.decision()));
                    log.info("cannot place a replica of {}: {}", w.name(), u.decision().rejectionCounts());
                }
                return false;
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

    /**
     * Deletes the instance and releases its pledge in one transaction; returns whether it did. An
     * instance that was still active on a node that died was lost by that node.
     */
    private boolean remove(StateStore store, Versioned<Instance> v, String reason, Map<String, NodeState> nodeStates,
                           Instant now) {
        if (v == null) return false;
        Instance i = v.value();
        List<KvStore.Compare> compares = new ArrayList<>();
        List<KvStore.Op> ops = new ArrayList<>();
        compares.add(store.instances().unchangedSince(i.id(), v.modRevision()));
        ops.add(store.instances().deleteOp(i.id()));
        Optional<Versioned<Pledge>> pledge = store.pledges().get(i.id());
        if (pledge.isPresent() && pledge.get().value().isActive()) {
            compares.add(store.pledges().unchangedSince(i.id(), pledge.get().modRevision()));
            ops.add(store.pledges().putOp(i.id(), pledge.get().value().release(now)));
        }
        if (!store.commit(compares, ops)) return false;
        store.decisions().delete(decisionKey(i.workload(), i.id()));
        if (economy != null && i.isActive() && nodeStates.get(i.nodeId()) == NodeState.DEAD) economy.instanceLost(i);
        log.info("removed {} ({})", i.id(), reason);
        return true;
    }

    private String newInstanceId(String workload) {
        StringBuilder sb = new StringBuilder(workload).append('-');
        for (int k = 0; k < 5; k++) sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return sb.toString();
    }
}
