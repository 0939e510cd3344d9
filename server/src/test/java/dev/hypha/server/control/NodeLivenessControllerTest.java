package dev.hypha.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.NodeState;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.SqliteKvStore;
import dev.hypha.testkit.fixtures.NodeBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gossip decides node states where it knows the node; leases decide the rest; gossip changes are reported. */
class NodeLivenessControllerTest {
    @TempDir
    Path dir;

    @Test
    void gossipIsTheAuthorityAndItsTransitionsAreReported() {
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-29T00:00:00Z"));
        try (StateStore store = new StateStore(new SqliteKvStore(dir.resolve("state.db")))) {
            store.nodes().put("g1", NodeBuilder.node("g1").build());
            store.nodes().put("l1", NodeBuilder.node("l1").build());
            long lease = store.kv().grantLease(Duration.ofMinutes(5));
            store.kv().put(StateStore.LIVENESS + "g1", new byte[] {1}, lease); // g1 still reports over HTTP
            Map<String, NodeState> gossip = new HashMap<>(Map.of("g1", NodeState.DEAD));
            List<String> transitions = new ArrayList<>();
            NodeLivenessController c = new NodeLivenessController(clock, id -> Optional.ofNullable(gossip.get(id)),
                    (id, s) -> transitions.add(id + "=" + s.wire()));

            c.checkOnce(store);

            assertThat(store.nodes().value("g1").orElseThrow().state()).isEqualTo(NodeState.DEAD);
            assertThat(store.nodes().value("l1").orElseThrow().state()).as("no gossip, no lease").isEqualTo(NodeState.DEAD);
            assertThat(transitions).containsExactly("g1=dead");

            gossip.put("g1", NodeState.ALIVE);
            c.checkOnce(store);
            c.checkOnce(store);
            assertThat(store.nodes().value("g1").orElseThrow().state()).isEqualTo(NodeState.ALIVE);
            assertThat(transitions).containsExactly("g1=dead", "g1=alive");
        }
    }
}
