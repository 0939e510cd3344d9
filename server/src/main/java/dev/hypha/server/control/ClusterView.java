package dev.hypha.server.control;

import dev.hypha.core.schedule.IncrementalSnapshot;
import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeList;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's view of the cluster during one controller pass: nodes with what is allocated on
 * them, updated as the pass places replicas, so replica two sees replica one; each node's
 * reputation and each member's credit balance, as the economy computed them for the pass.
 *
 * <p>The snapshot is built once per pass and then updated in place ({@link IncrementalSnapshot}):
 * rebuilding every node's snapshot for every placement made a pass that places r replicas on n
 * nodes cost r × n, which dominated large passes.
 */
public final class ClusterView {
    private final IncrementalSnapshot snapshot;

    /**
     * @param reputations by node id; a node without one is {@link Reputation#NEUTRAL}
     * @param balances    member balances in micro-credits; an absent member has zero
     */
    public ClusterView(List<Node> nodeList, List<Instance> instances, Map<String, Reputation> reputations,
                       Map<String, Long> balances, long revision) {
        Map<String, Resources> allocated = new HashMap<>();
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (Instance i : instances) {
            if (i.isActive() && i.nodeId() != null && i.spec() != null) {
                allocated.merge(i.nodeId(), i.spec().resources(), Resources::plus);
                counts.computeIfAbsent(i.nodeId(), k -> new TreeMap<>()).merge(i.workload(), 1, Integer::sum);
            }
        }
        List<NodeSnapshot> nodes = new ArrayList<>(nodeList.size());
        for (Node n : nodeList.stream().sorted(Comparator.comparing(Node::id)).toList()) {
            nodes.add(new NodeSnapshot(n, allocated.getOrDefault(n.id(), Resources.ZERO),
                    counts.getOrDefault(n.id(), Map.of()), reputations.get(n.id())));
        }
        this.snapshot = new IncrementalSnapshot(new ClusterSnapshot(NodeList.of(nodes), balances, revision));
    }

    /** Records a replica placed on a node during this pass; a node the view does not hold has no snapshot to update. */
    public void add(String nodeId, String workload, Resources r) {
        if (snapshot.node(nodeId) != null) snapshot.place(nodeId, workload, r);
    }

    public ClusterSnapshot snapshot() {
        return snapshot.snapshot();
    }

    /** The node with this id, or null when the view does not know it. */
    public Node node(String nodeId) {
        NodeSnapshot n = snapshot.node(nodeId);
        return n == null ? null : n.node();
    }

    public Resources allocatedOn(String nodeId) {
        NodeSnapshot n = snapshot.node(nodeId);
        return n == null ? Resources.ZERO : n.allocated();
    }
}
