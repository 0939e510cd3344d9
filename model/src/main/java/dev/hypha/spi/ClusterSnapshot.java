package dev.hypha.spi;

import java.util.List;
import java.util.Map;

/**
 * The cluster as the scheduler sees it: nodes in a stable order, plus each member's credit
 * balance in micro-credits (absent members have zero).
 *
 * @param revision the store revision the snapshot was read at
 */
public record ClusterSnapshot(List<NodeSnapshot> nodes, Map<String, Long> memberBalances, long revision) {
    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        memberBalances = Map.copyOf(memberBalances);
    }

    public long balanceOf(String member) {
        return memberBalances.getOrDefault(member, 0L);
    }
}
