package dev.hypha.core.simulate;

import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.MeasuredUsage;
import dev.hypha.core.economy.PriceTable;
import dev.hypha.core.intent.ReplicaFootprint;
import dev.hypha.core.reconcile.Action;
import dev.hypha.core.reconcile.ReconcilePlan;
import dev.hypha.core.reconcile.Reconciler;
import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.core.reputation.ObservedEvent;
import dev.hypha.core.reputation.ReputationBook;
import dev.hypha.core.reputation.ReputationConfig;
import dev.hypha.core.reputation.ReputationCrdt;
import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.economy.MemberAccount;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeList;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One scheduler profile's run over a {@link World}: a discrete-event loop on a virtual clock that
 * drives the real core — {@link Reconciler#plan} per affected workload, {@link PipelineScheduler}
 * for every Place action, {@link PriceTable#charge} for settlement, {@link ReputationCrdt} and
 * {@link ReputationBook} for reputation — and measures what happened.
 *
 * <h2>The loop</h2>
 * Events are kept in a priority queue by (virtual time, insertion order), so equal inputs replay
 * identically. Arrivals and crashes come from the world one at a time; everything else is scheduled
 * by the handlers:
 * <ul>
 *   <li><b>arrival</b>: the workload is stored and reconciled; the reconciler plans one Place per
 *       replica and each goes through the scheduler. An assigned replica holds its resources at
 *       once (pending) and its start resolves 2–20 s later;</li>
 *   <li><b>start</b>: a flaky node fails it with its start-failure probability (the replica fails,
 *       the reconciler removes and replaces it); otherwise it runs, and on a flaky node its
 *       exponential time to being killed is drawn;</li>
 *   <li><b>kill</b>, <b>crash</b>: the replica (every replica on the node) is lost; the node goes
 *       DEAD until its recovery, and the reconciler replaces what was lost;</li>
 *   <li><b>departure</b>: the workload is deleted; the reconciler stops its replicas and then
 *       removes them;</li>
 *   <li><b>retry</b>: replicas no node could take are planned again after 1, 2, 4 … 32 minutes;</li>
 *   <li><b>hour</b>: running replicas are settled, the hour's observations recorded into the CRDT,
 *       and every node's reputation and every member's balance recomputed for the scheduler.</li>
 * </ul>
 *
 * <h2>Why it is fast</h2>
 * The scheduler reads an immutable {@link ClusterSnapshot}; rebuilding one from scratch per
 * placement would copy every node's workload counts. Instead a change only marks its node, and
 * when the scheduler next needs the cluster each marked node gets one new {@link NodeSnapshot}
 * that replaces it in a copy of the previous {@link NodeList}, sharing every other chunk of 64
 * nodes: the scheduler's columns compare chunk references and refresh only the chunks that
 * differ, where a flat list made them compare all 10,000 nodes and copy as many references per
 * placement. Every node is rebuilt only in the hourly round, when every reputation changes: the
 * scheduler's columns keep every workload's replica counts as an index of their own, so nothing in
 * a placement sweeps all nodes and rebuilding more often only cost time (see {@link #snapshot()}).
 * A node's map of replica counts is shared by its snapshots until it changes, so the hourly
 * rebuild hands the columns the same maps and they compare nothing. The member balances the
 * scheduler reads change once an hour, as one immutable map that snapshots share without copying.
 * The scheduler is asked for its choice alone ({@link PipelineScheduler#choose}: the node
 * {@code schedule} would assign, without the explanation the run would throw away).
 *
 * <p>Reputation (EigenTrust over every observer's reports) is recomputed once per simulated hour
 * from the observations buffered during it, recorded into the CRDT as one batch: at 10,000 nodes
 * and 100,000 workloads, about a quarter of a run's cpu; the scheduler takes about half.
 *
 * <p>When a Place is unplaceable, the pass's further Place actions for the same workload are
 * counted as unplaceable without asking again: an unplaceable answer means every node was
 * evaluated against this snapshot, and the next replica's request differs only in its id and
 * sampling seed, which no filter reads.
 *
 * <p>Not thread-safe; single use.
 */
final class ProfileRun {
    /** The pre-trusted observer: the server, which hears every agent's reports. */
    static final String SERVER = "server";
    private static final long START_DELAY_MIN_MILLIS = 2_000;
    private static final long START_DELAY_SPREAD_MILLIS = 18_000;
    private static final long RETRY_FIRST_MILLIS = 60_000;
    private static final int RETRY_MAX_DOUBLINGS = 5;
    /** Reconcile passes per event: stop, then remove, is the longest chain the reconciler plans. */
    private static final int MAX_PASSES = 4;

    private static final NodeEvent STARTED = new NodeEvent.ContainerStarted();
    private static final NodeEvent START_FAILED = new NodeEvent.StartFailed(NodeEvent.StartFailure.NODE);
    private static final NodeEvent KILLED = new NodeEvent.ContainerExited(NodeEvent.ExitCause.KILLED_BY_NODE, 137);
    private static final NodeEvent LOST = new NodeEvent.InstanceLost();
    private static final NodeEvent PROBE_FAILED = new NodeEvent.ProbeFailed();

    private sealed interface Event permits Arrive, Depart, StartResolves, Kill, Crash, Recover, Retry, Hour {}

    private record Arrive(int workload) implements Event {}

    private record Depart(int workload) implements Event {}

    private record StartResolves(Replica replica) implements Event {}

    private record Kill(Replica replica) implements Event {}

    private record Crash(int outage) implements Event {}

    private record Recover(int node) implements Event {}

    private record Retry(int workload) implements Event {}

    private record Hour(int hour) implements Event {}

    private record Timed(long at, long order, Event event) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** One placed replica and what the run tracks about it besides its {@link Instance}. */
    private static final class Replica {
        final int workload;
        final int node;
        final String id;
        Instance instance;
        /** Its request is part of its node's allocation (pending or running). */
        boolean holding;
        boolean running;
        boolean removed;
        long settledFrom;
        double co2GramsPerHour;
        double costPerHour;

        Replica(int workload, int node, String id) {
            this.workload = workload;
            this.node = node;
            this.id = id;
        }
    }

    private final World world;
    private final SchedulerProfile profile;
    private final PipelineScheduler scheduler;
    private final SplittableRandom random;
    private final ReputationBook book = new ReputationBook(ReputationConfig.defaults(), Set.of(SERVER));
    private final PriceTable prices = PriceTable.DEFAULT;
    private final long horizon;
    private final long seed;

    private final PriorityQueue<Timed> queue = new PriorityQueue<>();
    private long order;
    private long now;
    private Instant nowInstant = World.EPOCH;

    // Nodes, by index.
    private final int nodeCount;
    private final List<Node> baseNodes;
    private final Node[] upNode;
    private final Node[] downNode;
    private final String[] nodeIds;
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final Map<String, NodeState> nodeStates = new HashMap<>();
    private final boolean[] up;
    private final long[] cpu;
    private final long[] memory;
    private final long[] disk;
    private final List<Map<String, Integer>> counts;
    /**
     * Each node's counts as the immutable map its snapshots share, made when a snapshot is next
     * built after they changed (null until then): the hourly rebuild of every snapshot then hands
     * the scheduler the same map where nothing changed, which it recognises by reference.
     */
    private final List<Map<String, Integer>> countsShared;
    private final List<List<Replica>> onNode;
    private final Reputation[] reputation;
    /** The nodes as the scheduler last saw them, and the nodes changed since (each listed once). */
    private NodeList nodeList;
    private final boolean[] changed;
    private final int[] changedNodes;
    private int changedCount;
    /** Node changes after which every node's snapshot is rebuilt in index order (see {@link #snapshot()}). */
    private final int compactAfter;
    private int changesSinceRebuild;
    private final int[] nodeMember;
    private final boolean[] liar;
    private final int[][] witnessedBy;
    private ClusterSnapshot snapshot;
    private long revision;

    // Workloads, by index in the world.
    private final Workload[] workloads;
    private final List<List<Replica>> replicas;
    private final int[] serial;
    private final int[] retryDoublings;
    private final boolean[] retryQueued;
    private final int[] workloadMember;

    // Members, by index.
    private final String[] memberIds;
    private final long[] given;
    private final long[] taken;
    private Map<String, Long> balances = Map.of();

    // Reputation.
    private ReputationCrdt crdt;
    private final List<ObservedEvent> observations = new ArrayList<>();

    // Measurements.
    private long attempts, placed, unplaceable, startFailures, killedByNode, lostInCrashes;
    private long schedulerCalls, nodesEvaluated;
    private double chosenReliability;
    private long allocatedCpu, upCpu;
    private double co2Rate, costRate;
    private int runningReplicas;
    private double allocatedArea, capacityArea, co2Area, costArea, runningArea;

    ProfileRun(World world, SchedulerProfile profile) {
        this(world, profile, Integer.MAX_VALUE);
    }

    /** A run that rebuilds every node's snapshot after {@code compactAfter} node changes (1: before every placement). */
    ProfileRun(World world, SchedulerProfile profile, int compactAfter) {
        if (compactAfter < 1) throw new IllegalArgumentException("compactAfter must be at least 1, got " + compactAfter);
        this.compactAfter = compactAfter;
        this.world = world;
        this.profile = profile;
        this.scheduler = new PipelineScheduler(profile);
        this.seed = world.scenario().seed();
        // Every profile's run draws from the same stream, so their first draws agree.
        this.random = new SplittableRandom(mix(seed, 0x51A7_0001L));
        this.horizon = world.horizonMillis();
        this.crdt = ReputationCrdt.empty(book.config().bucket());

        List<SimulatedNode> nodes = world.nodes();
        nodeCount = nodes.size();
        baseNodes = nodes.stream().map(SimulatedNode::node).toList();
        upNode = new Node[nodeCount];
        downNode = new Node[nodeCount];
        nodeIds = new String[nodeCount];
        up = new boolean[nodeCount];
        cpu = new long[nodeCount];
        memory = new long[nodeCount];
        disk = new long[nodeCount];
        counts = new ArrayList<>(nodeCount);
        countsShared = new ArrayList<>(nodeCount);
        onNode = new ArrayList<>(nodeCount);
        reputation = new Reputation[nodeCount];
        changed = new boolean[nodeCount];
        changedNodes = new int[nodeCount];
        nodeMember = new int[nodeCount];
        liar = new boolean[nodeCount];
        witnessedBy = new int[nodeCount][];

        memberIds = world.members().toArray(String[]::new);
        Map<String, Integer> memberIndex = new HashMap<>();
        for (int m = 0; m < memberIds.length; m++) memberIndex.put(memberIds[m], m);
        given = new long[memberIds.length];
        taken = new long[memberIds.length];

        for (int i = 0; i < nodeCount; i++) {
            SimulatedNode n = nodes.get(i);
            upNode[i] = n.node();
            downNode[i] = n.node().withState(NodeState.DEAD, World.EPOCH);
            nodeIds[i] = n.node().id();
            nodeIndex.put(nodeIds[i], i);
            nodeStates.put(nodeIds[i], NodeState.ALIVE);
            up[i] = true;
            upCpu += n.node().capacity().cpuMillicores();
            counts.add(new HashMap<>());
            countsShared.add(Map.of());
            onNode.add(new ArrayList<>());
            reputation[i] = Reputation.NEUTRAL;
            nodeMember[i] = memberIndex.get(n.node().member());
            liar[i] = n.liar();
            witnessedBy[i] = n.witnessedBy().stream().mapToInt(Integer::intValue).toArray();
        }
        refreshAll();

        int workloadCount = world.workloads().size();
        workloads = new Workload[workloadCount];
        replicas = new ArrayList<>(workloadCount);
        for (int w = 0; w < workloadCount; w++) replicas.add(null);
        serial = new int[workloadCount];
        retryDoublings = new int[workloadCount];
        retryQueued = new boolean[workloadCount];
        workloadMember = new int[workloadCount];
        for (int w = 0; w < workloadCount; w++) {
            workloadMember[w] = memberIndex.get(world.workloads().get(w).spec().member());
        }
    }

    ProfileReport run() {
        if (!world.workloads().isEmpty()) at(world.workloads().getFirst().arrivesAt(), new Arrive(0));
        if (!world.outages().isEmpty()) at(world.outages().getFirst().downAt(), new Crash(0));
        if (World.HOUR_MILLIS < horizon) at(World.HOUR_MILLIS, new Hour(1));

        while (!queue.isEmpty() && queue.peek().at() < horizon) {
            Timed next = queue.poll();
            advanceTo(next.at());
            switch (next.event()) {
                case Arrive a -> arrive(a.workload());
                case Depart d -> depart(d.workload());
                case StartResolves s -> resolveStart(s.replica());
                case Kill k -> kill(k.replica());
                case Crash c -> crash(c.outage());
                case Recover r -> recover(r.node());
                case Retry r -> retry(r.workload());
                case Hour h -> hour(h.hour());
            }
        }
        advanceTo(horizon);
        settleRunning();
        return report();
    }

    // ---- events ------------------------------------------------------------------------------

    private void arrive(int w) {
        PlannedWorkload plan = world.workloads().get(w);
        workloads[w] = Workload.create(plan.spec(), instant(), null);
        replicas.set(w, new ArrayList<>(plan.spec().replicas()));
        if (plan.departsAt() < horizon) at(plan.departsAt(), new Depart(w));
        if (w + 1 < world.workloads().size()) at(world.workloads().get(w + 1).arrivesAt(), new Arrive(w + 1));
        reconcile(w);
    }

    private void depart(int w) {
        workloads[w] = null;
        reconcile(w);
    }

    private void retry(int w) {
        retryQueued[w] = false;
        if (workloads[w] != null) reconcile(w);
    }

    private void resolveStart(Replica r) {
        if (r.removed || !r.holding || r.running) return;
        SimulatedNode node = world.nodes().get(r.node);
        if (node.startFailure() > 0 && random.nextDouble() < node.startFailure()) {
            startFailures++;
            release(r);
            r.instance = r.instance.withState(InstanceState.FAILED, "start failed: the node's runtime returned an error");
            observe(r.node, START_FAILED);
            reconcile(r.workload);
            return;
        }
        r.running = true;
        r.settledFrom = now;
        r.instance = new Instance(r.instance.id(), r.instance.workload(), r.instance.generation(), r.instance.nodeId(),
                r.instance.desired(), InstanceState.RUNNING, "c-" + r.id, null, 0, r.instance.createdAt(), instant(),
                null, "running", null, r.instance.spec());
        ReplicaFootprint footprint = ReplicaFootprint.of(upNode[r.node], r.instance.spec().resources());
        r.co2GramsPerHour = footprint.co2GramsPerHour();
        r.costPerHour = footprint.costPerHour();
        co2Rate += r.co2GramsPerHour;
        costRate += r.costPerHour;
        runningReplicas++;
        observe(r.node, STARTED);
        if (node.killsPerHour() > 0) {
            long killAt = now + (long) World.exponential(random, World.HOUR_MILLIS / node.killsPerHour());
            if (killAt < horizon) at(killAt, new Kill(r));
        }
    }

    private void kill(Replica r) {
        if (r.removed || !r.running) return;
        killedByNode++;
        settle(r, now);
        stopRunning(r);
        release(r);
        r.instance = r.instance.withState(InstanceState.FAILED, "killed by the node while within its limits");
        observe(r.node, KILLED);
        reconcile(r.workload);
    }

    private void crash(int o) {
        Outage outage = world.outages().get(o);
        if (o + 1 < world.outages().size()) at(world.outages().get(o + 1).downAt(), new Crash(o + 1));
        int i = outage.node();
        if (outage.upAt() < horizon) at(outage.upAt(), new Recover(i));
        up[i] = false;
        upCpu -= upNode[i].capacity().cpuMillicores();
        nodeStates.put(nodeIds[i], NodeState.DEAD);
        refresh(i);
        observe(i, PROBE_FAILED);
        TreeSet<Integer> affected = new TreeSet<>();
        for (Replica r : onNode.get(i)) {
            lostInCrashes++;
            if (r.running) {
                settle(r, now);
                stopRunning(r);
            }
            observe(i, LOST);
            affected.add(r.workload);
        }
        // The reconciler removes the lost replicas (their node is dead) and places replacements.
        for (int w : affected) reconcile(w);
    }

    private void recover(int i) {
        up[i] = true;
        upCpu += upNode[i].capacity().cpuMillicores();
        nodeStates.put(nodeIds[i], NodeState.ALIVE);
        refresh(i);
    }

    /** The hourly round: settle, record the hour's observations, recompute reputation and balances. */
    private void hour(int h) {
        settleRunning();
        crdt = crdt.recordAll(observations);
        observations.clear();
        Map<String, MemberAccount> accounts = new HashMap<>();
        Map<String, Long> nextBalances = new HashMap<>();
        for (int m = 0; m < memberIds.length; m++) {
            accounts.put(memberIds[m], new MemberAccount(memberIds[m], given[m] - taken[m], given[m], taken[m]));
            nextBalances.put(memberIds[m], given[m] - taken[m]);
        }
        balances = Map.copyOf(nextBalances);
        SortedMap<String, Reputation> scores = book.scores(crdt, baseNodes, accounts, instant());
        for (int i = 0; i < nodeCount; i++) reputation[i] = scores.get(nodeIds[i]);
        refreshAll();
        long next = (h + 1) * World.HOUR_MILLIS;
        if (next < horizon) at(next, new Hour(h + 1));
    }

    // ---- the control loop ----------------------------------------------------------------------

    /** Plans the workload with the reconciler and applies the plan, until nothing waits for a follow-up. */
    private void reconcile(int w) {
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<Replica> own = replicas.get(w);
            List<Instance> observed = new ArrayList<>(own.size());
            for (Replica r : own) observed.add(r.instance);
            List<Workload> desired = workloads[w] == null ? List.of() : List.of(workloads[w]);
            ReconcilePlan plan = Reconciler.plan(desired, observed, nodeStates, instant());
            boolean stopped = false, refused = false, tried = false;
            for (Action action : plan.actions()) {
                switch (action) {
                    case Action.Place p -> {
                        tried = true;
                        if (refused) {
                            attempts++;
                            unplaceable++;
                        } else if (!place(w)) {
                            refused = true;
                        }
                    }
                    case Action.Stop s -> {
                        stop(find(w, s.instanceId()), s.reason());
                        stopped = true;
                    }
                    case Action.Remove r -> remove(find(w, r.instanceId()));
                    case Action.UpdateStatus u -> workloads[w] = workloads[w].withStatus(u.status());
                }
            }
            if (refused) {
                retryLater(w);
            } else if (tried) {
                retryDoublings[w] = 0;
            }
            if (!stopped) return;
        }
        throw new IllegalStateException("workload " + world.workloads().get(w).spec().name() + " did not settle after "
                + MAX_PASSES + " reconcile passes at " + instant());
    }

    private boolean place(int w) {
        attempts++;
        PlannedWorkload plan = world.workloads().get(w);
        String id = plan.spec().name() + "-" + (serial[w] + 1);
        // The scheduler's choice without its explanation, which the run does not keep: the same node.
        PipelineScheduler.Choice choice = scheduler.choose(new PlacementRequest(plan.spec(), id, mix(seed, attempts)),
                snapshot());
        schedulerCalls++;
        nodesEvaluated += choice.nodesEvaluated();
        if (!choice.assigned()) {
            unplaceable++;
            return false;
        }
        serial[w]++;
        int node = nodeIndex.get(choice.nodeId());
        Replica r = new Replica(w, node, id);
        r.instance = Instance.assign(id, workloads[w], choice.nodeId(), instant());
        replicas.get(w).add(r);
        hold(r);
        placed++;
        chosenReliability += world.nodes().get(node).trueReliability();
        at(now + START_DELAY_MIN_MILLIS + random.nextLong(START_DELAY_SPREAD_MILLIS), new StartResolves(r));
        return true;
    }

    private void retryLater(int w) {
        if (retryQueued[w]) return;
        retryQueued[w] = true;
        long delay = RETRY_FIRST_MILLIS << Math.min(retryDoublings[w], RETRY_MAX_DOUBLINGS);
        retryDoublings[w]++;
        if (now + delay < horizon) at(now + delay, new Retry(w));
    }

    /** The agent stops the replica at once: settled up to now, its resources released. */
    private void stop(Replica r, String why) {
        if (r.running) {
            settle(r, now);
            stopRunning(r);
        }
        if (r.holding) release(r);
        r.instance = r.instance.withDesired(DesiredState.STOP, why).withState(InstanceState.STOPPED, why);
    }

    private void remove(Replica r) {
        if (r.running) {
            settle(r, now);
            stopRunning(r);
        }
        if (r.holding) release(r);
        r.removed = true;
        replicas.get(r.workload).remove(r);
    }

    private Replica find(int w, String instanceId) {
        for (Replica r : replicas.get(w)) {
            if (r.id.equals(instanceId)) return r;
        }
        throw new IllegalStateException("the reconciler named instance " + instanceId + ", which the simulation does not hold");
    }

    // ---- nodes and snapshots -------------------------------------------------------------------

    private void hold(Replica r) {
        Resources req = r.instance.spec().resources();
        int i = r.node;
        cpu[i] += req.cpuMillicores();
        memory[i] += req.memoryMb();
        disk[i] += req.diskMb();
        allocatedCpu += req.cpuMillicores();
        counts.get(i).merge(r.instance.workload(), 1, Integer::sum);
        countsShared.set(i, null);
        onNode.get(i).add(r);
        r.holding = true;
        refresh(i);
    }

    private void release(Replica r) {
        Resources req = r.instance.spec().resources();
        int i = r.node;
        cpu[i] -= req.cpuMillicores();
        memory[i] -= req.memoryMb();
        disk[i] -= req.diskMb();
        allocatedCpu -= req.cpuMillicores();
        counts.get(i).computeIfPresent(r.instance.workload(), (k, c) -> c == 1 ? null : c - 1);
        countsShared.set(i, null);
        onNode.get(i).remove(r);
        r.holding = false;
        refresh(i);
    }

    private void stopRunning(Replica r) {
        r.running = false;
        co2Rate -= r.co2GramsPerHour;
        costRate -= r.costPerHour;
        runningReplicas--;
    }

    /** Marks node {@code i} changed: its snapshot is rebuilt when the scheduler next needs the cluster. */
    private void refresh(int i) {
        if (changed[i]) return;
        changed[i] = true;
        changedNodes[changedCount++] = i;
    }

    private NodeSnapshot nodeSnapshot(int i) {
        Map<String, Integer> shared = countsShared.get(i);
        if (shared == null) {
            shared = Map.copyOf(counts.get(i));
            countsShared.set(i, shared);
        }
        return new NodeSnapshot(up[i] ? upNode[i] : downNode[i], new Resources(cpu[i], memory[i], disk[i]), shared,
                reputation[i]);
    }

    /**
     * Rebuilds every node's snapshot, in index order, into a new node list: after the hourly round
     * (every reputation changed) and after {@link #compactAfter} node changes, when a run asks for that.
     */
    private void refreshAll() {
        NodeSnapshot[] all = new NodeSnapshot[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            all[i] = nodeSnapshot(i);
            changed[i] = false;
        }
        changedCount = 0;
        changesSinceRebuild = 0;
        nodeList = NodeList.of(Arrays.asList(all));
        snapshot = null;
    }

    /**
     * The cluster snapshot for the next placement. Only the nodes changed since the last one get
     * new snapshots, each once however often it changed, and each replaces its node in a copy of
     * the {@link NodeList} that shares every other chunk of 64 nodes with the previous list: the
     * scheduler's columns then refresh only the chunks that differ instead of comparing every node.
     *
     * <p>Once {@link #compactAfter} nodes changed, every node's snapshot is rebuilt instead, in index
     * order (by default never between hourly rounds). Rebuilding every eighth of the nodes' worth of
     * changes paid while the scheduler gathered a new workload's replica counts from every node's
     * map, for memory locality; since the columns index the counts, it only rebuilt and re-read
     * nodes that had not changed.
     */
    private ClusterSnapshot snapshot() {
        if (changedCount > 0) {
            changesSinceRebuild += changedCount;
            if (changesSinceRebuild >= compactAfter) {
                refreshAll();
            } else {
                NodeList nodes = nodeList;
                for (int c = 0; c < changedCount; c++) {
                    int i = changedNodes[c];
                    changed[i] = false;
                    nodes = nodes.with(i, nodeSnapshot(i));
                }
                changedCount = 0;
                nodeList = nodes;
            }
            snapshot = null;
        }
        if (snapshot == null) snapshot = new ClusterSnapshot(nodeList, balances, ++revision);
        return snapshot;
    }

    // ---- economy and reputation ----------------------------------------------------------------

    /**
     * Settles {@code r}'s measured use since it was last settled, as {@code Settlement} does: the
     * host's member is credited and the workload's member debited the {@link PriceTable} charge,
     * nothing when they are the same member.
     */
    private void settle(Replica r, long until) {
        long length = until - r.settledFrom;
        if (length <= 0) return;
        r.settledFrom = until;
        int host = nodeMember[r.node];
        int payer = workloadMember[r.workload];
        if (host == payer) return;
        PlannedWorkload plan = world.workloads().get(r.workload);
        Resources req = plan.spec().resources();
        long cpuMillis = Math.round(req.cpuMillicores() * plan.cpuUse() * length / 1000.0);
        long memoryAverage = Math.round(req.memoryMb() * plan.memoryUse());
        long charge = prices.charge(new MeasuredUsage(cpuMillis, memoryAverage, req.diskMb()), Duration.ofMillis(length));
        given[host] = Math.addExact(given[host], charge);
        taken[payer] = Math.addExact(taken[payer], charge);
    }

    /** Settles every running replica up to now, and recomputes the running totals (no drift from sums). */
    private void settleRunning() {
        double co2 = 0, cost = 0;
        for (int i = 0; i < nodeCount; i++) {
            for (Replica r : onNode.get(i)) {
                if (!r.running) continue;
                settle(r, now);
                co2 += r.co2GramsPerHour;
                cost += r.costPerHour;
            }
        }
        co2Rate = co2;
        costRate = cost;
    }

    /**
     * Records what the server and the subject's witnesses saw. Honest witnesses report the event;
     * liars report a failure of an honest node and a success of a fellow liar, whatever happened.
     */
    private void observe(int subject, NodeEvent event) {
        Instant at = instant();
        String id = nodeIds[subject];
        observations.add(new ObservedEvent(SERVER, id, at, event));
        for (int w : witnessedBy[subject]) {
            NodeEvent seen = liar[w] ? (liar[subject] ? STARTED : START_FAILED) : event;
            observations.add(new ObservedEvent(nodeIds[w], id, at, seen));
        }
    }

    // ---- clock and measurements ----------------------------------------------------------------

    private void at(long time, Event event) {
        queue.add(new Timed(time, order++, event));
    }

    private void advanceTo(long time) {
        long dt = time - now;
        if (dt > 0) {
            allocatedArea += (double) allocatedCpu * dt;
            capacityArea += (double) upCpu * dt;
            co2Area += co2Rate * dt;
            costArea += costRate * dt;
            runningArea += (double) runningReplicas * dt;
            now = time;
        }
    }

    private Instant instant() {
        if (nowInstant.toEpochMilli() != World.EPOCH.toEpochMilli() + now) nowInstant = World.EPOCH.plusMillis(now);
        return nowInstant;
    }

    private ProfileReport report() {
        long[] balance = new long[memberIds.length];
        long total = 0;
        double squares = 0;
        for (int m = 0; m < balance.length; m++) {
            balance[m] = given[m] - taken[m];
            total += balance[m];
            squares += (double) balance[m] * balance[m];
        }
        if (total != 0) {
            throw new IllegalStateException("the members' balances sum to " + total + " micro-credits, not zero:"
                    + " a settlement credited one member without debiting another");
        }
        long missing = 0;
        for (int w = 0; w < workloads.length; w++) {
            if (workloads[w] == null) continue;
            long active = replicas.get(w).stream().filter(r -> r.holding).count();
            missing += Math.max(0, workloads[w].replicas() - active);
        }
        double duration = horizon;
        return new ProfileReport(profile.name(), attempts, placed, unplaceable,
                attempts == 0 ? 1 : (double) placed / attempts, startFailures + killedByNode + lostInCrashes,
                startFailures, killedByNode, lostInCrashes, placed == 0 ? 0 : chosenReliability / placed,
                schedulerCalls == 0 ? 0 : (double) nodesEvaluated / schedulerCalls,
                capacityArea == 0 ? 0 : allocatedArea / capacityArea, runningArea / duration, Gini.of(balance),
                Math.sqrt(squares / balance.length) / Credits.MICRO_PER_CREDIT, Math.max(0, co2Area / duration),
                Math.max(0, costArea / duration), missing);
    }

    /** SplitMix64's finaliser over {@code a} and {@code b}: well-spread seeds from a counter. */
    static long mix(long a, long b) {
        long z = a + 0x9E37_79B9_7F4A_7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
