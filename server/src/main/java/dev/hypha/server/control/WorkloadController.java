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
 * <p>The economy takes part in every pass: the scheduler sees each node's reputation and each
 * member's balance; replicas of members in good standing are placed before those of members below
 * their soft credit limit ({@code CreditPolicy.placementOrder}); placing a replica writes its
 * {@link Pledge} (host node's member to the workload's member) in the same transaction as the
 * instance, and removing the instance releases the pledge in the same transaction as the delete;
 * an instance removed because its node died counts against the node's reputation.
 *
 * <p>Placements are written in batches: each new instance with its pledge and its placement record,
 * up to {@link #PLACEMENTS_PER_COMMIT} instances in one transaction, and the status updates of a
 * pass in one more. Every write is synced to disk, so a transaction per record capped a pass at the
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
     * Instances written per transaction at most: each adds two conditions and three or four
     * operations, and etcd allows 128 operations per transaction by default.
     */
    static final int PLACEMENTS_PER_COMMIT = 30;

    private final Scheduler scheduler;
    private final InstantSource clock;
    /** Null only in the economy-less constructor. */
    private final EconomyService economy;
    private final SecureRandom random = new SecureRandom();
    private final InstanceSource instances;

    public WorkloadController(Scheduler scheduler, InstantSource clock, EconomyService economy) {
        this(scheduler, clock, economy, InstanceSource.STORE);
    }

    /** @param instances where each pass reads the instances (the server's index; the store in tests) */
    public WorkloadController(Scheduler scheduler, InstantSource clock, EconomyService economy,
                              InstanceSource instances) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.economy = Objects.requireNonNull(economy, "economy");
        this.instances = Objects.requireNonNull(instances, "instances");
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
        this.instances = InstanceSource.STORE;
    }

    /**
     * One reconcile pass over {@code store} (the leader passes its fenced view); returns the plan it
     * carried out (for tests and logs).
     */
    public ReconcilePlan reconcileOnce(StateStore store) {
        // 1. Read a snapshot (each list consistently at its own revision, none older than this one).
        long revision = store.kv().revision();
        List<Versioned<Workload>> versionedWorkloads = store.workloads().list();
        List<Workload> workloads = versionedWorkloads.stream().map(Versioned::value).toList();
        List<Versioned<Instance>> instances = this.instances.instances(store, revision);
        List<Node> nodes = store.nodes().values();
        Instant now = clock.instant();

        // 2. Plan, purely.
        Map<String, NodeState> nodeStates = nodes.stream().collect(Collectors.toMap(Node::id, Node::state));
        List<Instance> instanceValues = instances.stream().map(Versioned::value).toList();
        ReconcilePlan plan = Reconciler.plan(workloads, instanceValues, nodeStates, now);
        if (plan.actions().isEmpty()) return plan;

        // 3. Act, one idempotent write per action; placements last, members in good standing first.
        Map<String, Workload> byName = workloads.stream().collect(Collectors.toMap(Workload::name, Function.identity()));
        // Built when first needed: most passes only update statuses (agents report all the time), and
        // indexing every instance or building the scheduler's view of every node was most of such a pass.
        Map<String, Versioned<Instance>> byId = null;
        ClusterView view = null;
        EconomyView economyView = economy == null ? null : economy.standingView();
        Map<String, Integer> placedPerWorkload = new HashMap<>();
        boolean pledgesChanged = false;
        Placements placements = new Placements(store);
        List<Action.UpdateStatus> statuses = new ArrayList<>();
        List<Action> actions = economyView == null ? plan.actions() : inCreditOrder(plan.actions(), byName, economyView);
        for (Action action : actions) {
            switch (action) {
                case Action.Place p -> {
                    if (view == null) view = clusterView(nodes, instanceValues, economyView, revision);
                    place(store, placements, byName.get(p.workload()), view, revision, now,
                            placedPerWorkload.merge(p.workload(), 1, Integer::sum));
                }
                case Action.Stop s -> {
                    if (byId == null) byId = byId(instances);
                    stop(store, byId.get(s.instanceId()), s.reason());
                }
                case Action.Remove r -> {
                    if (byId == null) byId = byId(instances);
                    pledgesChanged |= remove(store, byId.get(r.instanceId()), r.reason(), nodeStates, now);
                }
                case Action.UpdateStatus u -> statuses.add(u);
            }
        }
        placements.flush();
        pledgesChanged |= placements.written() > 0;
        updateStatuses(store, statuses, versionedWorkloads);
        if (pledgesChanged && economy != null) economy.invalidatePledges();
        return plan;
    }

    private static Map<String, Versioned<Instance>> byId(List<Versioned<Instance>> instances) {
        return instances.stream().collect(Collectors.toMap(v -> v.value().id(), Function.identity()));
    }

    /** The scheduler's view of the pass's snapshot, with the economy's reputations and balances when there is one. */
    private static ClusterView clusterView(List<Node> nodes, List<Instance> instances, EconomyView economyView,
                                           long revision) {
        return economyView == null ? new ClusterView(nodes, instances, Map.of(), Map.of(), revision)
                : new ClusterView(nodes, instances, economyView.reputations(), economyView.balances(), revision);
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
     * The placements of one pass waiting to be written: each instance and its pledge on condition
     * that neither exists yet (they exist together or not at all), with its placement record and
     * the removal of its workload's "unplaced" marker.
     */
    private static final class Placements {
        private final StateStore store;
        private final List<KvStore.Compare> compares = new ArrayList<>();
        private final List<KvStore.Op> ops = new ArrayList<>();
        private final Set<String> unplacedCleared = new HashSet<>();
        private final List<String> logLines = new ArrayList<>();
        private int count;
        private int written;
        private boolean failed;

        Placements(StateStore store) {
            this.store = store;
        }

        /** Whether a batch of this pass failed to commit: then nothing more is placed this pass. */
        boolean failed() {
            return failed;
        }

        /** Instances this pass has written. */
        int written() {
            return written;
        }

        void add(Instance instance, Pledge pledge, PlacementRecord record) {
            compares.add(store.instances().absent(instance.id()));
            compares.add(store.pledges().absent(instance.id()));
            ops.add(store.instances().putOp(instance.id(), instance));
            ops.add(store.pledges().putOp(instance.id(), pledge));
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
                written += count;
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

    /** Places one replica: schedules it and adds it to the pass's batch of placements. */
    private void place(StateStore store, Placements placements, Workload w, ClusterView view, long revision,
                       Instant now, int ordinal) {
        if (w == null || placements.failed()) return;
        String instanceId = newInstanceId(w.name());
        PlacementRequest req = new PlacementRequest(w.spec(), instanceId, Objects.hash(revision, w.name(), ordinal));
        Placement placement = scheduler.schedule(req, view.snapshot());
        switch (placement) {
            case Placement.Assigned a -> {
                Instance inst = Instance.assign(instanceId, w, a.nodeId(), now);
                Pledge pledge = Pledges.forPlacement(inst, view.node(a.nodeId()), now);
                view.add(a.nodeId(), w.name(), w.resources());
                placements.add(inst, pledge,
                        new PlacementRecord(w.name(), instanceId, now, "assigned", a.nodeId(), a.decision()));
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
        var stopped = store.instances().modify(v.value().id(),
                i -> i.desired() == DesiredState.STOP ? null : i.withDesired(DesiredState.STOP, reason));
        // As the pass read it, it was still meant to run: this pass asks for the stop.
        if (stopped.isPresent() && v.value().desired() != DesiredState.STOP) {
            log.info("stopping {} ({})", v.value().id(), reason);
        }
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

    /** The workload's name and five random characters; one draw from the secure generator gives all five. */
    private String newInstanceId(String workload) {
        StringBuilder sb = new StringBuilder(workload).append('-');
        long bits = random.nextLong();
        for (int k = 0; k < 5; k++) {
            sb.append(ID_ALPHABET.charAt((int) Long.remainderUnsigned(bits, ID_ALPHABET.length())));
            bits = Long.divideUnsigned(bits, ID_ALPHABET.length());
        }
        return sb.toString();
    }
}
