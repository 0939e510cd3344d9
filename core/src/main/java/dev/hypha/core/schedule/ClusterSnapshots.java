package dev.hypha.core.schedule;

import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pure updates of a {@link ClusterSnapshot}, for callers that place several replicas from one
 * snapshot.
 *
 * <p>The scheduler never writes; a controller that places three replicas in one pass adds each
 * placement to its snapshot before asking for the next, so the second replica sees the first
 * (its resources and its spread) — kube-scheduler's "assume" step.
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
                Map<String, Integer> counts = new HashMap<>(n.workloadCounts());
                counts.merge(workload.name(), 1, Integer::sum);
                nodes.set(k, new NodeSnapshot(n.node(), n.allocated().plus(workload.resources()), counts, n.reputation()));
                return new ClusterSnapshot(nodes, snapshot.memberBalances(), snapshot.revision());
            }
        }
        throw new IllegalArgumentException("node '" + nodeId + "' is not in the cluster snapshot");
    }
}
