package dev.hypha.core.membership;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the SWIM protocol; a {@link Packet} carries several (a compound message).
 *
 * <p>Probe messages ({@link Ping}, {@link IndirectPing}, {@link Ack}, {@link Nack}) run the failure
 * detector; membership updates ({@link Alive}, {@link Suspect}, {@link Dead}) and {@link UserBroadcast}s
 * are disseminated by piggybacking them on whatever packet goes out next.
 */
public sealed interface SwimMessage {

    /** "Are you alive?" sent to {@code target}; a member acks only pings addressed to itself. */
    record Ping(long seq, String target) implements SwimMessage {
        public Ping {
            Objects.requireNonNull(target, "target");
        }
    }

    /** Asks the receiver to ping {@code target} on the sender's behalf and relay the ack, or a nack. */
    record IndirectPing(long seq, String target, String targetAddress) implements SwimMessage {
        public IndirectPing {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(targetAddress, "targetAddress");
        }
    }

    /** Answer to a ping with the same sequence number. */
    record Ack(long seq) implements SwimMessage {}

    /** From a relay: "I asked, and the target did not answer me in time either" (Lifeguard). */
    record Nack(long seq) implements SwimMessage {}

    /** {@code member} is alive at {@code incarnation}, reachable at {@code address}, with this metadata. */
    record Alive(String member, String address, long incarnation, Map<String, String> metadata) implements SwimMessage {
        public Alive {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(address, "address");
            metadata = Map.copyOf(metadata);
        }
    }

    /** {@code from} suspects {@code member} at {@code incarnation}: it missed a probe. */
    record Suspect(String member, long incarnation, String from) implements SwimMessage {
        public Suspect {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(from, "from");
        }
    }

    /** {@code member} is dead at {@code incarnation}; when {@code from} is the member itself, it left. */
    record Dead(String member, long incarnation, String from) implements SwimMessage {
        public Dead {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(from, "from");
        }

        public boolean isLeave() {
            return member.equals(from);
        }
    }

    /**
     * An application payload on a named channel, delivered once by every member. {@code origin},
     * {@code session} (random per start of the origin) and {@code seq} identify it for deduplication.
     */
    record UserBroadcast(String origin, long session, long seq, String channel, byte[] payload) implements SwimMessage {
        public UserBroadcast {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(channel, "channel");
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** The payload without a defensive copy, for encoders that only read it. */
        byte[] payloadView() {
            return payload;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserBroadcast b && origin.equals(b.origin) && session == b.session && seq == b.seq
                    && channel.equals(b.channel) && Arrays.equals(payload, b.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(origin, session, seq, channel) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "UserBroadcast[origin=" + origin + ", session=" + session + ", seq=" + seq + ", channel=" + channel
                    + ", payload=" + payload.length + " bytes]";
        }
    }
}
