package dev.hypha.core.schedule;

import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeList;
import dev.hypha.spi.NodeSnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a cluster snapshot as columns: one flat array per fact the built-in plugins read
 * (state, region, member, capacity, allocation, reputation, carbon intensity, the member's
 * balance, and replica counts per workload), indexed by the node's position in
 * the snapshot.
 *
 * <p>Why: scheduling a replica on a large cluster visits hundreds of nodes, and reading a node's
 * record follows a pointer to each of its parts; measured at 5,000 nodes, that cost about 250 ns
 * per visited node, nearly all of it waiting for memory. The sampler visits nodes in runs of
 * neighbours ({@link CandidateOrder}), so in columns a run of eight shares one cache line per fact.
 *
 * <p>Kept up to date incrementally, and never stale: {@link #refresh} compares the snapshot's node
 * records with the ones the columns were built from, by reference (records are immutable, so the
 * same reference means the same facts), and recomputes only the positions that differ. When both
 * node lists are {@link NodeList}s, only the chunks they do not share are compared: a controller
 * pass places replicas one by one on snapshots from an {@link IncrementalSnapshot}, which share
 * all chunks but one with the previous snapshot, so a refresh costs a glance at the chunk table
 * and one changed row. The result of a schedule never depends on what the columns held before.
 *
 * <p>Beside the columns: the positions by region and by member ({@link PositionIndex}), so a
 * request limited to some regions or to one member's nodes can be sampled among those alone; and
 * values derived per node from the columns ({@link #derived}), kept up to date the same way.
 * Mutable and not thread-safe: {@link PipelineScheduler} keeps one per thread.
 */
public final class NodeColumns {
    /**
     * The most nodes a {@link ColumnFilter} is given in one call: four of the sampler's blocks
     * ({@link ColumnScore} is given all feasible nodes at once).
     */
    public static final int MAX_BATCH = 4 * CandidateOrder.BLOCK;

    private NodeSnapshot[] nodes = new NodeSnapshot[0];
    private int size;
    private byte[] state = new byte[0];
    private int[] region = new int[0];
    private int[] member = new int[0];
    private long[] capacityCpu = new long[0];
    private long[] capacityMemory = new long[0];
    private long[] capacityDisk = new long[0];
    private long[] allocatedCpu = new long[0];
    private long[] allocatedMemory = new long[0];
    private long[] allocatedDisk = new long[0];
    private double[] reliability = new double[0];
    private double[] efficiency = new double[0];
    private double[] ecology = new double[0];
    private double[] contribution = new double[0];
    private double[] carbon = new double[0];
    private long[] idHash = new long[0];
    private String[] id = new String[0];
    private long[] balance = new long[0];
    private Map<String, Long> balances;
    /** The node list the columns were last refreshed from. */
    private List<NodeSnapshot> source;
    private final Map<String, Integer> regionIds = new HashMap<>();
    private final Map<String, Integer> memberIds = new HashMap<>();
    /** Positions by region and by owning member, rebuilt when a node's region or member changed. */
    private final PositionIndex byRegion = new PositionIndex();
    private final PositionIndex byMember = new PositionIndex();
    /**
     * Replica counts per node of every workload some node runs, by workload name: an index
     * inverted from the nodes' maps of counts, kept up to date as nodes change (a changed map is
     * compared with the one it replaces, entry by entry) and dropping a workload once no node runs
     * it. Why all of them: gathering a workload's counts from every node the first time it is
     * asked for cost a map lookup per node — at 10,000 nodes, where each new workload is asked for
     * once or twice, that was most of a simulation's time — while a changed node costs only its
     * own few entries here.
     */
    private final HashMap<String, NodeCounts> counts = new HashMap<>();
    /**
     * Values computed per node from the columns alone ({@link #derived}), by key, least recently
     * asked first; recomputed where a node changed.
     */
    private final LinkedHashMap<Object, Derived> derived = new LinkedHashMap<>(4, 0.75f, true);
    /** Derived values kept at most: a scheduler asks for one per profile. */
    static final int DERIVED_KEPT = 8;
    /** The positions the current refresh changed, for the derived values. */
    private int[] changed = new int[0];
    private int changedCount;

    /**
     * Brings the columns in line with {@code snapshot}; returns this. Rebuilds everything when the
     * number of nodes changed (or the dictionaries of regions and members grew past
     * twice the cluster), otherwise only the positions whose record changed.
     */
    public NodeColumns refresh(ClusterSnapshot snapshot) {
        List<NodeSnapshot> list = snapshot.nodes();
        int n = list.size();
        // The dictionaries only grow while the size stays; start again before they outgrow the cluster.
        int bound = 2 * n + 64;
        if (n != size || regionIds.size() > bound || memberIds.size() > bound) {
            resize(n);
        }
        boolean balancesChanged = snapshot.memberBalances() != balances;
        balances = snapshot.memberBalances();
        changedCount = 0;
        if (list instanceof NodeList now && source instanceof NodeList before && before.size() == n) {
            // Only the chunks the two lists do not share can hold changed nodes.
            for (int c = 0; c < now.chunkCount(); c++) {
                if (!now.sharesChunk(before, c)) {
                    refresh(list, c * NodeList.CHUNK, Math.min(n, (c + 1) * NodeList.CHUNK), balancesChanged);
                }
            }
        } else {
            refresh(list, 0, n, balancesChanged);
        }
        source = list;
        if (balancesChanged) {
            // Per member, not per node: a cluster has far fewer members than nodes.
            long[] byMember = new long[memberIds.size()];
            for (Map.Entry<String, Integer> m : memberIds.entrySet()) {
                byMember[m.getValue()] = balances.getOrDefault(m.getKey(), 0L);
            }
            for (int k = 0; k < n; k++) balance[k] = byMember[member[k]];
        }
        if (!derived.isEmpty()) {
            for (Derived d : derived.values()) {
                if (balancesChanged) {
                    d.computeAll(this);
                } else {
                    for (int i = 0; i < changedCount; i++) d.compute(this, changed[i]);
                }
            }
        }
        return this;
    }

    private void refresh(List<NodeSnapshot> list, int from, int to, boolean balancesChanged) {
        for (int k = from; k < to; k++) {
            NodeSnapshot now = list.get(k);
            NodeSnapshot before = nodes[k];
            if (now == before) continue;
            if (before == null || now.node() != before.node()) {
                setNode(k, now.node(), before == null);
                if (!balancesChanged) balance[k] = balances.getOrDefault(now.node().member(), 0L);
            }
            setLoad(k, now, before);
            nodes[k] = now;
            if (changedCount == changed.length) changed = java.util.Arrays.copyOf(changed, Math.max(64, 2 * changedCount));
            changed[changedCount++] = k;
        }
    }

    private void resize(int n) {
        source = null;
        nodes = new NodeSnapshot[n];
        size = n;
        state = new byte[n];
        region = new int[n];
        member = new int[n];
        capacityCpu = new long[n];
        capacityMemory = new long[n];
        capacityDisk = new long[n];
        allocatedCpu = new long[n];
        allocatedMemory = new long[n];
        allocatedDisk = new long[n];
        reliability = new double[n];
        efficiency = new double[n];
        ecology = new double[n];
        contribution = new double[n];
        carbon = new double[n];
        idHash = new long[n];
        id = new String[n];
        balance = new long[n];
        // Dictionaries and counts start again: nothing of the old cluster is worth keeping.
        regionIds.clear();
        memberIds.clear();
        counts.clear();
        derived.clear();
        byRegion.invalidate();
        byMember.invalidate();
    }

    private void setNode(int k, Node node, boolean fresh) {
        state[k] = (byte) node.state().ordinal();
        int r = regionIds.computeIfAbsent(node.region(), name -> regionIds.size());
        int m = memberIds.computeIfAbsent(node.member(), name -> memberIds.size());
        // Most node changes are of state or load: the indexes stay valid unless the region or owner moved.
        if (fresh || region[k] != r) byRegion.invalidate();
        if (fresh || member[k] != m) byMember.invalidate();
        region[k] = r;
        member[k] = m;
        Resources capacity = node.capacity();
        capacityCpu[k] = capacity.cpuMillicores();
        capacityMemory[k] = capacity.memoryMb();
        capacityDisk[k] = capacity.diskMb();
        carbon[k] = node.carbonIntensity();
        idHash[k] = Ranking.idHash(node.id());
        id[k] = node.id();
    }

    private void setLoad(int k, NodeSnapshot now, NodeSnapshot before) {
        Resources allocated = now.allocated();
        allocatedCpu[k] = allocated.cpuMillicores();
        allocatedMemory[k] = allocated.memoryMb();
        allocatedDisk[k] = allocated.diskMb();
        Reputation r = now.reputation();
        reliability[k] = r.reliability();
        efficiency[k] = r.resourceEfficiency();
        ecology[k] = r.ecologicalBalance();
        contribution[k] = r.contributionRatio();
        Map<String, Integer> was = before == null ? Map.of() : before.workloadCounts();
        Map<String, Integer> is = now.workloadCounts();
        if (was == is) return;
        for (Map.Entry<String, Integer> e : was.entrySet()) {
            if (!is.containsKey(e.getKey())) setCount(e.getKey(), k, 0);
        }
        for (Map.Entry<String, Integer> e : is.entrySet()) {
            int count = e.getValue();
            Integer old = was.get(e.getKey());
            if (old == null || old != count) setCount(e.getKey(), k, count);
        }
    }

    private void setCount(String workload, int k, int count) {
        NodeCounts c = counts.get(workload);
        if (c == null) {
            if (count == 0) return;
            c = new NodeCounts();
            counts.put(workload, c);
        }
        c.set(k, count);
        if (c.total() == 0) counts.remove(workload);
    }

    /** Nodes in the snapshot. */
    public int size() {
        return size;
    }

    /** The node record at {@code position}, for what the columns do not hold. */
    public NodeSnapshot node(int position) {
        return nodes[position];
    }

    /** The node's id, without following the node record to it. */
    public String id(int position) {
        return id[position];
    }

    /** The ordinal of {@link #state(int)}, without looking the state up. */
    public int stateOrdinal(int position) {
        return state[position];
    }

    public NodeState state(int position) {
        return NODE_STATES[state[position]];
    }

    private static final NodeState[] NODE_STATES = NodeState.values();

    /** The id of a region in {@link #region(int)}'s terms, or -1 when no node is in it. */
    public int regionId(String name) {
        return regionIds.getOrDefault(name, -1);
    }

    /** The region of the node, as an id from {@link #regionId}. */
    public int region(int position) {
        return region[position];
    }

    /** How many distinct regions the nodes are in (or were since the cluster last changed size); region ids are 0 up to this. */
    public int regions() {
        return regionIds.size();
    }

    /** The id of a member in {@link #member(int)}'s terms, or -1 when the member owns no node. */
    public int memberId(String name) {
        return memberIds.getOrDefault(name, -1);
    }

    /** The member that owns the node, as an id from {@link #memberId}. */
    public int member(int position) {
        return member[position];
    }

    /** How many distinct members own the nodes (or owned them since the cluster last changed size). */
    public int members() {
        return memberIds.size();
    }

    /** The positions of the nodes by region id, up to date with the last {@link #refresh}. */
    PositionIndex byRegion() {
        if (byRegion.stale()) byRegion.rebuild(region, size, regionIds.size());
        return byRegion;
    }

    /** The positions of the nodes by member id, up to date with the last {@link #refresh}. */
    PositionIndex byMember() {
        if (byMember.stale()) byMember.rebuild(member, size, memberIds.size());
        return byMember;
    }

    public long capacityCpu(int position) {
        return capacityCpu[position];
    }

    public long capacityMemory(int position) {
        return capacityMemory[position];
    }

    public long capacityDisk(int position) {
        return capacityDisk[position];
    }

    public long allocatedCpu(int position) {
        return allocatedCpu[position];
    }

    public long allocatedMemory(int position) {
        return allocatedMemory[position];
    }

    public long allocatedDisk(int position) {
        return allocatedDisk[position];
    }

    public double reliability(int position) {
        return reliability[position];
    }

    public double resourceEfficiency(int position) {
        return efficiency[position];
    }

    public double ecologicalBalance(int position) {
        return ecology[position];
    }

    public double contributionRatio(int position) {
        return contribution[position];
    }

    public double carbonIntensity(int position) {
        return carbon[position];
    }

    /** The credit balance of the node's member, in micro-credits ({@link ClusterSnapshot#balanceOf}). */
    public long memberBalance(int position) {
        return balance[position];
    }

    /** The node id's hash that {@link Ranking#tieBreak} mixes with a request's seed. */
    long idHash(int position) {
        return idHash[position];
    }

    /** A value computed for one node from what the columns hold for it. */
    @FunctionalInterface
    public interface NodeFunction {
        double at(NodeColumns columns, int position);
    }

    /**
     * {@code function} at every node, by position: computed in full the first time {@code key} is
     * asked for (or again after {@value #DERIVED_KEPT} others were), then kept up to date, each
     * refresh recomputing only the nodes it changed (all of them when the balances changed).
     *
     * <p>For a value that depends on the node alone and not on the request, so a scheduler can
     * compute it once per node instead of once per placement. The key names the function: the
     * same key must always come with a function that gives the same values.
     */
    double[] derived(Object key, NodeFunction function) {
        Derived known = derived.get(key);
        if (known != null) return known.values;
        Derived d = new Derived(function, new double[size]);
        d.computeAll(this);
        derived.put(key, d);
        if (derived.size() > DERIVED_KEPT) derived.remove(derived.keySet().iterator().next());
        return d.values;
    }

    private record Derived(NodeFunction function, double[] values) {
        void computeAll(NodeColumns columns) {
            for (int k = 0; k < values.length; k++) values[k] = function.at(columns, k);
        }

        void compute(NodeColumns columns, int position) {
            values[position] = function.at(columns, position);
        }
    }

    /** How many workloads the counts index holds: those with a replica on some node, no others. */
    int workloadsCounted() {
        return counts.size();
    }

    /** Active replicas of {@code workload} per node ({@link NodeSnapshot#countOf}), up to date with the last {@link #refresh}. */
    public NodeCounts counts(String workload) {
        return counts.getOrDefault(workload, NodeCounts.NONE);
    }
}
