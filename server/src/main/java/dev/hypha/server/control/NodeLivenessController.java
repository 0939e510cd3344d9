package dev.hypha.server.control;

import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.store.StateStore;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each node's state in line with what membership says of it.
 *
 * <p>Gossip (SWIM) is the authority for every node it knows: alive, suspect, dead, left. A node
 * gossip has not heard of (gossip off, or an agent that has not joined yet) falls back to its
 * lease: every agent status report keeps {@code /hypha/liveness/<node>} alive, and when the
 * lease expires the key disappears and the node is dead.
 */
public final class NodeLivenessController {
    private static final Logger log = LoggerFactory.getLogger(NodeLivenessController.class);

    private final InstantSource clock;
    private final Function<String, Optional<NodeState>> gossip;
    private final BiConsumer<String, NodeState> gossipTransitions;

    /**
     * @param gossipTransitions told of every state change gossip caused (node id, new state): the
     *                          probe results the economy counts toward reliability
     */
    public NodeLivenessController(InstantSource clock, Function<String, Optional<NodeState>> gossip,
                                  BiConsumer<String, NodeState> gossipTransitions) {
        this.clock = clock;
        this.gossip = gossip;
        this.gossipTransitions = gossipTransitions;
    }

    public NodeLivenessController(InstantSource clock, Function<String, Optional<NodeState>> gossip) {
        this(clock, gossip, (id, state) -> { });
    }

    /** One pass over {@code store} (the leader's fenced view). */
    public void checkOnce(StateStore store) {
        Set<String> reporting = new HashSet<>();
        for (var kv : store.kv().range(StateStore.LIVENESS)) reporting.add(kv.key().substring(StateStore.LIVENESS.length()));
        for (Node n : store.nodes().values()) {
            Optional<NodeState> heard = gossip.apply(n.id());
            NodeState want = heard.orElseGet(() -> reporting.contains(n.id()) ? NodeState.ALIVE
                    : n.state() == NodeState.LEFT ? NodeState.LEFT : NodeState.DEAD);
            if (want == n.state()) continue;
            store.nodes().modify(n.id(), cur -> cur.state() == want ? null
                    : cur.withState(want, want == NodeState.ALIVE ? clock.instant() : null));
            log.info("node {} is {} ({})", n.id(), want.wire(), heard.isPresent() ? "gossip" : "lease");
            if (heard.isPresent()) gossipTransitions.accept(n.id(), want);
        }
    }
}
