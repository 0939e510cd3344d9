package dev.hypha.server;

import dev.hypha.core.membership.SwimConfig;
import dev.hypha.gossip.GossipAddresses;
import dev.hypha.gossip.Keyring;
import dev.hypha.gossip.SwimMembership;
import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's place in the gossip group: it learns from SWIM which nodes are alive, suspect, dead
 * or left — not from heartbeats to a central place — and hands agents the addresses to join.
 *
 * <p>Agents join with metadata {@code role=agent}; servers with {@code role=server}. Thread-safe.
 */
public final class GossipMembership implements AutoCloseable {
    public static final String ROLE = "role";

    private final SwimMembership swim;

    private GossipMembership(SwimMembership swim) {
        this.swim = swim;
    }

    public static GossipMembership start(String serverId, String bindHost, int port, List<String> seeds, String key,
                                         InstantSource clock) {
        try {
            SwimMembership swim = SwimMembership.start(serverId, new InetSocketAddress(bindHost, port),
                    seeds.stream().map(GossipAddresses::parse).toList(), Map.of(ROLE, "server"),
                    Keyring.of(Keyring.decodeKey(key)), SwimConfig.lan(), clock);
            return new GossipMembership(swim);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start gossip on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** What gossip says of an agent's node, or empty when gossip has not heard of it. */
    public Optional<NodeState> stateOf(String nodeId) {
        for (MemberInfo m : swim.members()) {
            if (m.id().equals(nodeId) && "agent".equals(m.metadata().get(ROLE))) return Optional.of(m.state());
        }
        return Optional.empty();
    }

    /** Where agents join: this server and every other server gossip knows alive. */
    public List<String> seedsForAgents() {
        List<String> seeds = new ArrayList<>();
        seeds.add(swim.address());
        for (MemberInfo m : swim.members()) {
            if ("server".equals(m.metadata().get(ROLE)) && m.state() == NodeState.ALIVE && !m.address().equals(swim.address())) {
                seeds.add(m.address());
            }
        }
        return seeds;
    }

    public void broadcast(String channel, byte[] payload) {
        swim.broadcast(channel, payload);
    }

    public void onBroadcast(String channel, java.util.function.Consumer<byte[]> listener) {
        swim.onBroadcast(channel, listener);
    }

    public String address() {
        return swim.address();
    }

    public long rejectedPackets() {
        return swim.rejectedPackets();
    }

    @Override
    public void close() {
        swim.leave(Duration.ofSeconds(1));
        swim.close();
    }
}
