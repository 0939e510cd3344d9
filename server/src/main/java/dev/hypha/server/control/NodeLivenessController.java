package dev.hypha.server.control;

import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.store.StateStore;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks nodes dead when their agent stops reporting, and alive again when it comes back.
 *
 * <p>Every agent's status report keeps a lease-bound key {@code /hypha/liveness/<node>} alive;
 * when the lease expires the key disappears and the node is dead. This is the membership source
 * when gossip is off; with gossip, membership events drive the same states.
 */
public final class NodeLivenessController {
    private static final Logger log = LoggerFactory.getLogger(NodeLivenessController.class);

    private final InstantSource clock;

    public NodeLivenessController(InstantSource clock) {
        this.clock = clock;
    }

    /** One pass over {@code store} (the leader's fenced view). */
    public void checkOnce(StateStore store) {
        Set<String> reporting = new HashSet<>();
        for (var kv : store.kv().range(StateStore.LIVENESS)) reporting.add(kv.key().substring(StateStore.LIVENESS.length()));
        for (Node n : store.nodes().values()) {
            boolean alive = reporting.contains(n.id());
            if (!alive && (n.state() == NodeState.ALIVE || n.state() == NodeState.SUSPECT)) {
                store.nodes().modify(n.id(), cur -> cur.state() == NodeState.DEAD || cur.state() == NodeState.LEFT ? null
                        : cur.withState(NodeState.DEAD, null));
                log.warn("node {} stopped reporting: marked dead", n.id());
            } else if (alive && n.state() == NodeState.DEAD) {
                store.nodes().modify(n.id(), cur -> cur.state() == NodeState.ALIVE ? null
                        : cur.withState(NodeState.ALIVE, clock.instant()));
                log.info("node {} is reporting again: alive", n.id());
            }
        }
    }
}
