package dev.hypha.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.core.reputation.ReputationConfig;
import dev.hypha.model.Json;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import dev.hypha.server.economy.ReputationRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reputation rows travel between servers in payloads that fit a gossip packet, and merge on arrival. */
class ReputationGossipTest {
    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @Test
    void changedRowsReachTheOtherServerInSmallPayloadsAndOnlyOnce() {
        ReputationRecorder a = new ReputationRecorder("server-a", ReputationConfig.defaults());
        ReputationRecorder b = new ReputationRecorder("server-b", ReputationConfig.defaults());
        List<byte[]> wire = new ArrayList<>();
        ReputationGossip fromA = new ReputationGossip(a, wire::add);
        ReputationGossip intoB = new ReputationGossip(b, bytes -> { });

        for (int n = 0; n < 60; n++) {
            a.record("node-" + n, new NodeEvent.ContainerStarted(), T0.plusSeconds(n));
        }
        int messages = fromA.publish();
        assertThat(messages).isGreaterThan(1).isEqualTo(wire.size());
        assertThat(wire).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(ReputationGossip.MAX_PAYLOAD_BYTES));
        wire.forEach(intoB::receive);

        // B now holds every one of A's rows; a second round with nothing new sends nothing.
        ReputationState everything = b.deltaFor(new ReputationState(a.ownState().bucketMillis(), List.of()));
        assertThat(new HashSet<>(everything.observations())).containsAll(a.ownState().observations());
        wire.clear();
        assertThat(fromA.publish()).isZero();

        // Only the changed row goes out next time.
        a.record("node-7", new NodeEvent.ContainerStarted(), T0.plusSeconds(7));
        assertThat(fromA.publish()).isEqualTo(1);
        ReputationState sent = Json.read(wire.getFirst(), ReputationState.class);
        assertThat(sent.observations()).extracting(Observation::subject).containsExactly("node-7");
    }

    @Test
    void aMalformedPayloadIsDroppedAndAnEchoOfOwnRowsIsIgnored() {
        ReputationRecorder a = new ReputationRecorder("server-a", ReputationConfig.defaults());
        ReputationGossip g = new ReputationGossip(a, bytes -> { });
        g.receive("not json".getBytes());
        a.record("n1", new NodeEvent.ContainerStarted(), T0);
        ReputationState before = a.ownState();
        g.receive(Json.bytes(before));
        assertThat(a.ownState()).isEqualTo(before);
    }
}
