package dev.hypha.server.control;

import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's view of the cluster during one controller pass: nodes with what is allocated on
 * them, updated as the pass places replicas, so replica two sees replica one; each node's
 * reputation and each member's credit balance, as the economy computed them for the pass.
 */
public final class ClusterView {
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Resources> allocated = new HashMap<>();
    private final Map<String, Map<String, Integer>> counts = new HashMap<>();
    private final Map<String, Reputation> reputations;
    private final Map<String, Long> balances;
    private final long revision;

    /**
     * @param reputations by node id; a node without one is {@link Reputation#NEUTRAL}
     * @param balances    member balances in micro-credits; an absent member has zero
     */
    public ClusterView(List<Node> nodeList, List<Instance> instances, Map<String, Reputation> reputations,
                       Map<String, Long> balances, long revision) {
        nodeList.stream().sorted(java.util.Comparator.comparing(Node::id)).forEach(n -> nodes.put(n.id(), n));
        this.reputations = reputations;
        this.balances = balances;
        this.revision = revision;
        for (Instance i : instances) {
            if (i.isActive() && i.nodeId() != null && i.spec() != null) add(i.nodeId(), i.workload(), i.spec().resources());
        }
    }

    /** Records a replica placed on a node during this pass. */
    public void add(String nodeId, String workload, Resources r) {
        allocated.merge(nodeId, r, Resources::plus);
        counts.computeIfAbsent(nodeId, k -> new TreeMap<>()).merge(workload, 1, Integer::sum);
    }

    public ClusterSnapshot snapshot() {
        List<NodeSnapshot> out = new ArrayList<>(nodes.size());
        for (Node n : nodes.values()) {
            out.add(new NodeSnapshot(n, allocated.getOrDefault(n.id(), Resources.ZERO),
                    counts.getOrDefault(n.id(), Map.of()), reputations.get(n.id())));
        }
        return new ClusterSnapshot(out, balances, revision);
    }

    /** The node with this id, or null when the view does not know it. */
    public Node node(String nodeId) {
        return nodes.get(nodeId);
    }

    public Resources allocatedOn(String nodeId) {
        return allocated.getOrDefault(nodeId, Resources.ZERO);
    }
}
