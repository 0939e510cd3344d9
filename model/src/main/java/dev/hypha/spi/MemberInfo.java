package dev.hypha.spi;

import dev.hypha.model.NodeState;
import java.util.Map;

/** One member of the gossip group as the local member currently sees it. */
public record MemberInfo(String id, String address, NodeState state, long incarnation, Map<String, String> metadata) {
    public MemberInfo {
        metadata = Map.copyOf(metadata);
    }
}
