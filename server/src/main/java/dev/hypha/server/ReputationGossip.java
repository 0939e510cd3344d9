package dev.hypha.server;

import dev.hypha.core.reputation.ReputationCrdt;
import dev.hypha.model.Json;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import dev.hypha.server.economy.ReputationRecorder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disseminates this server's reputation observations over the gossip broadcast channel, and merges
 * what other servers disseminate. Observations are CRDT rows (per-counter maxima), so order,
 * repetition and loss of a round do not matter: the next round carries every row that changed
 * since the last one sent, and the store holds each server's full slice for anyone who missed
 * gossip entirely.
 *
 * <p>{@link #publish()} is called serially (by the server's gossip timer); received payloads
 * arrive on the membership's thread.
 */
public final class ReputationGossip {
    public static final String CHANNEL = "reputation";
    /** Payload bound per broadcast: well inside one UDP packet after SWIM's and AES-GCM's framing. */
    static final int MAX_PAYLOAD_BYTES = 800;
    private static final Logger log = LoggerFactory.getLogger(ReputationGossip.class);

    private final ReputationRecorder recorder;
    private final java.util.function.Consumer<byte[]> sender;
    private ReputationCrdt sent;

    public ReputationGossip(ReputationRecorder recorder, java.util.function.Consumer<byte[]> sender) {
        this.recorder = recorder;
        this.sender = sender;
        ReputationState own = recorder.ownState();
        this.sent = ReputationCrdt.of(new ReputationState(own.bucketMillis(), List.of()));
    }

    /** Broadcasts the rows of this server that changed since the last round; returns how many messages went out. */
    public int publish() {
        ReputationCrdt own = ReputationCrdt.of(recorder.ownState());
        ReputationState delta = own.delta(sent).toState();
        if (delta.observations().isEmpty()) return 0;
        int messages = 0;
        for (ReputationState chunk : chunks(delta)) {
            sender.accept(Json.bytes(chunk));
            messages++;
        }
        sent = sent.merge(own);
        return messages;
    }

    /** Merges a payload another server broadcast; a malformed one is dropped and logged, never thrown. */
    public void receive(byte[] payload) {
        try {
            recorder.merge(Json.read(payload, ReputationState.class));
        } catch (RuntimeException e) {
            log.warn("dropped a reputation broadcast that could not be read: {}", e.getMessage());
        }
    }

    /** Splits a state into pieces whose JSON fits {@link #MAX_PAYLOAD_BYTES}; a single row always fits. */
    static List<ReputationState> chunks(ReputationState state) {
        List<ReputationState> out = new ArrayList<>();
        List<Observation> current = new ArrayList<>();
        for (Observation o : state.observations()) {
            current.add(o);
            if (current.size() > 1 && Json.bytes(new ReputationState(state.bucketMillis(), current)).length > MAX_PAYLOAD_BYTES) {
                current.removeLast();
                out.add(new ReputationState(state.bucketMillis(), List.copyOf(current)));
                current = new ArrayList<>(List.of(o));
            }
        }
        if (!current.isEmpty()) out.add(new ReputationState(state.bucketMillis(), List.copyOf(current)));
        return out;
    }
}
