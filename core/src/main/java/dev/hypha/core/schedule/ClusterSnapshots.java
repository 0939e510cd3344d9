package dev.hypha.core.schedule;

import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.WorkloadCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pure updates of a {@link ClusterSnapshot}, for callers that place several replicas from one
 * snapshot.
 *
 * <p>The scheduler never writes; a controller that places three replicas in one pass adds each
 * placement to its snapshot before asking for the next, so the second replica sees the first
 * (its resources and its spread) — kube-scheduler's "assume" step. For many placements in a row,
 * {@link IncrementalSnapshot} does the same without scanning and copying the node list each time.
 */
public final class ClusterSnapshots {
    private ClusterSnapshots() {}

    /**
     * The snapshot with one more active replica of {@code workload} on {@code nodeId}: its request
     * added to the node's allocation and its count to the node's per-workload counts.
     *
     * @throws IllegalArgumentException when the snapshot has no such node
     */
    public static ClusterSnapshot withPlacement(ClusterSnapshot snapshot, String nodeId, WorkloadSpec workload) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(workload, "workload");
        List<NodeSnapshot> nodes = new ArrayList<>(snapshot.nodes());
        for (int k = 0; k < nodes.size(); k++) {
            NodeSnapshot n = nodes.get(k);
            if (n.id().equals(nodeId)) {
                nodes.set(k, plusReplica(n, workload.name(), workload.resources()));
                return new ClusterSnapshot(nodes, snapshot.memberBalances(), snapshot.revision());
            }
        }
        throw new IllegalArgumentException("node '" + nodeId + "' is not in the cluster snapshot");
    }

    /**
     * The node with one more active replica of {@code workload}, which requests {@code request}.
     * The counts become {@link WorkloadCounts}, so a run of placements on one node does not copy
     * its whole count map each time.
     */
    static NodeSnapshot plusReplica(NodeSnapshot n, String workload, Resources request) {
        return new NodeSnapshot(n.node(), n.allocated().plus(request),
                WorkloadCounts.of(n.workloadCounts()).plusOne(workload), n.reputation());
    }
}
