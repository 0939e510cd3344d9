package dev.hypha.core.reputation;

import dev.hypha.model.Node;
import dev.hypha.model.Resources;
import dev.hypha.model.economy.Observation;
import java.time.Duration;
import java.time.Instant;

/** Object mothers for reputation tests: a full valid node, events, rows. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);
    static final String SERVER = "server-1";

    private Fixtures() {}

    static Node node(String id) {
        return node(id, 200);
    }

    static Node node(String id, double carbonIntensity) {
        return node(id, null, carbonIntensity);
    }

    /** A node of {@code member} (null: the member named after the node). */
    static Node node(String id, String member, double carbonIntensity) {
        return new Node(id, member, null, null, new Resources(4_000, 8_192, 20_480), 0.1, carbonIntensity, null, null,
                null, T0, T0);
    }

    static Instant hour(long h) {
        return T0.plus(HOUR.multipliedBy(h));
    }

    static NodeEvent started() {
        return new NodeEvent.ContainerStarted();
    }

    static NodeEvent failed() {
        return new NodeEvent.StartFailed(NodeEvent.StartFailure.NODE);
    }

    /** A fabricated row, as a liar would gossip it: any counters it likes, under its own name. */
    static Observation row(String observer, String subject, long bucket, long succeeded, long failed, long acks,
                           long probeFailures) {
        return new Observation(observer, subject, bucket, succeeded, failed, 0, acks, probeFailures, 0, 0, 0, 0, 0, 0);
    }
}
