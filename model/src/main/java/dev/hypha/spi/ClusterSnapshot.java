package dev.hypha.spi;

import java.util.List;
import java.util.Map;

/**
 * The cluster as the scheduler sees it: nodes in a stable order, plus each member's credit
 * balance in micro-credits (absent members have zero).
 *
 * <p>The node list is copied unless it is a {@link NodeList}, which is immutable and is kept as it
 * is, so a caller that places replicas one by one can make each next snapshot cheaply.
 *
 * @param revision the store revision the snapshot was read at
 */
public record ClusterSnapshot(List<NodeSnapshot> nodes, Map<String, Long> memberBalances, long revision) {
    public ClusterSnapshot {
        // A NodeList is immutable already; keeping it lets successive snapshots share their nodes.
        nodes = nodes instanceof NodeList list ? list : List.copyOf(nodes);
        memberBalances = Map.copyOf(memberBalances);
    }

    public long balanceOf(String member) {
        return memberBalances.getOrDefault(member, 0L);
    }
}
