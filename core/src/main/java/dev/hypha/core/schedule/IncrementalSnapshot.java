package dev.hypha.core.schedule;

import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeList;
import dev.hypha.spi.NodeSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster snapshot that a caller updates as it places replicas one after another: each
 * {@link #place} adds one replica to its node, and {@link #snapshot()} is what the scheduler sees
 * for the next replica — kube-scheduler's "assume" step over a whole pass.
 *
 * <p>Why not {@link ClusterSnapshots#withPlacement} in a loop: that finds the node by a linear
 * scan and copies the whole node list, which at 5,000 nodes cost more than scheduling the replica
 * (the scan follows a pointer per node). Here each node's position is indexed once, and the nodes
 * are a {@link NodeList}: a placement copies one chunk of 64 nodes, and the scheduler's
 * {@link NodeColumns} see from the chunks alone which nodes changed.
 *
 * <p>Mutable and not thread-safe: one controller pass (or one benchmark thread) owns it. The
 * snapshots it hands out are immutable and stay valid after later placements.
 */
public final class IncrementalSnapshot {
    private final Map<String, Integer> positions;
    private final Map<String, Long> balances;
    private final long revision;
    private NodeList nodes;
    private ClusterSnapshot current;

    public IncrementalSnapshot(ClusterSnapshot start) {
        Objects.requireNonNull(start, "start");
        this.nodes = NodeList.of(start.nodes());
        this.positions = HashMap.newHashMap(nodes.size());
        // A duplicate id resolves to its first node, as in ClusterSnapshots.withPlacement.
        for (int k = 0; k < nodes.size(); k++) positions.putIfAbsent(nodes.get(k).id(), k);
        this.balances = start.memberBalances();
        this.revision = start.revision();
    }

    /** The cluster with every replica placed so far. */
    public ClusterSnapshot snapshot() {
        if (current == null) current = new ClusterSnapshot(nodes, balances, revision);
        return current;
    }

    /**
     * Adds one active replica of {@code workload} on {@code nodeId}: its request to the node's
     * allocation and one to the node's count of the workload.
     *
     * @throws IllegalArgumentException when the snapshot has no such node
     */
    public void place(String nodeId, WorkloadSpec workload) {
        Objects.requireNonNull(workload, "workload");
        place(nodeId, workload.name(), workload.resources());
    }

    /** {@link #place(String, WorkloadSpec)} by the workload's name and request. */
    public void place(String nodeId, String workload, Resources request) {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(request, "request");
        Integer k = positions.get(Objects.requireNonNull(nodeId, "nodeId"));
        if (k == null) throw new IllegalArgumentException("node '" + nodeId + "' is not in the cluster snapshot");
        nodes = nodes.with(k, ClusterSnapshots.plusReplica(nodes.get(k), workload, request));
        current = null;
    }

    /** The node record with this id as placed so far, or null when the snapshot has no such node. */
    public NodeSnapshot node(String nodeId) {
        Integer k = positions.get(nodeId);
        return k == null ? null : nodes.get(k);
    }
}
