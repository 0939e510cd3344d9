package dev.hypha.core.membership;

import dev.hypha.core.membership.SwimMessage.Ack;
import dev.hypha.core.membership.SwimMessage.Alive;
import dev.hypha.core.membership.SwimMessage.Dead;
import dev.hypha.core.membership.SwimMessage.IndirectPing;
import dev.hypha.core.membership.SwimMessage.Nack;
import dev.hypha.core.membership.SwimMessage.Ping;
import dev.hypha.core.membership.SwimMessage.Suspect;
import dev.hypha.core.membership.SwimMessage.UserBroadcast;
import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The binary wire format of SWIM packets and state exchanges: compact, versioned, decoded strictly.
 *
 * <p>Layout (integers are unsigned LEB128 varints, strings are a varint byte length and UTF-8):
 * <pre>
 * packet   = version:u8 frame:u8(=1) sourceId:str sourceAddress:str count:varint message*
 * message  = type:u8 fields        (1 ping, 2 indirect ping, 3 ack, 4 nack, 5 alive, 6 suspect,
 *                                   7 dead, 8 user broadcast)
 * exchange = version:u8 frame:u8(=2) kind:u8 fromId:str fromAddress:str count:varint member*
 * member   = id:str address:str state:u8 incarnation:varint metadata
 * metadata = count:varint (key:str value:str)*   (sorted by key, so equal maps encode equally)
 * </pre>
 * Decoding rejects an unknown version, frame, message type, state or kind, a truncated or oversized
 * field, invalid UTF-8 and trailing bytes: a packet is read whole or not at all. Sizes are computed
 * without encoding ({@link #encodedSize(Packet)}), so a member can fill a datagram to its limit.
 */
public final class SwimCodec {
    public static final int VERSION = 1;
    static final int FRAME_PACKET = 1;
    static final int FRAME_EXCHANGE = 2;

    static final int PING = 1;
    static final int INDIRECT_PING = 2;
    static final int ACK = 3;
    static final int NACK = 4;
    static final int ALIVE = 5;
    static final int SUSPECT = 6;
    static final int DEAD = 7;
    static final int USER_BROADCAST = 8;

    /** Longest member id, address or channel name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 256;
    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int MAX_METADATA_VALUE_BYTES = 1024;
    public static final int MAX_PAYLOAD_BYTES = 65_507;
    static final int MAX_MESSAGES = 4096;
    static final int MAX_MEMBERS = 1_000_000;
    /** Bytes the message count of a packet may take: up to 16,383 messages. */
    static final int COUNT_BYTES = 2;

    private SwimCodec() {}

    // ---- packets --------------------------------------------------------------------------------

    public static byte[] encode(Packet packet) {
        WireWriter w = new WireWriter(encodedSize(packet));
        w.u8(VERSION);
        w.u8(FRAME_PACKET);
        w.string(packet.sourceId());
        w.string(packet.sourceAddress());
        w.varint(packet.messages().size());
        for (SwimMessage m : packet.messages()) write(w, m);
        return w.toByteArray();
    }

    /** Decodes a packet that arrived at {@code destination}; throws {@link MalformedMessageException}. */
    public static Packet decodePacket(byte[] data, String destination) {
        WireReader r = new WireReader(data);
        checkVersion(r, FRAME_PACKET, "packet");
        String sourceId = r.string("source id", MAX_NAME_BYTES);
        String sourceAddress = r.string("source address", MAX_NAME_BYTES);
        int count = r.length("message count", MAX_MESSAGES);
        List<SwimMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) messages.add(read(r, i));
        r.expectEnd("last message");
        return new Packet(sourceId, sourceAddress, destination, messages);
    }

    /** Exact size of {@link #encode(Packet)}. */
    public static int encodedSize(Packet packet) {
        return encodedSize(packet, SwimCodec::metadataSize);
    }

    /**
     * Exact size of {@link #encode(Packet)}, with metadata sizes from {@code metadataSize}: a caller
     * that sizes many packets carrying the same few metadata maps (a simulator) can memoize them.
     */
    public static int encodedSize(Packet packet, ToIntFunction<Map<String, String>> metadataSize) {
        int size = 2 + WireWriter.stringSize(packet.sourceId()) + WireWriter.stringSize(packet.sourceAddress())
                + WireWriter.varintSize(packet.messages().size());
        for (SwimMessage m : packet.messages()) size += encodedSize(m, metadataSize);
        return size;
    }

    /** Upper bound of a packet header from this sender, whatever its message count (up to 16,383). */
    public static int headerSize(String sourceId, String sourceAddress) {
        return 2 + WireWriter.stringSize(sourceId) + WireWriter.stringSize(sourceAddress) + COUNT_BYTES;
    }

    /** Exact size of one message inside a packet, type byte included. */
    public static int encodedSize(SwimMessage message) {
        return encodedSize(message, SwimCodec::metadataSize);
    }

    private static int encodedSize(SwimMessage message, ToIntFunction<Map<String, String>> metadataSize) {
        return 1 + switch (message) {
            case Ping p -> WireWriter.varintSize(p.seq()) + WireWriter.stringSize(p.target());
            case IndirectPing p -> WireWriter.varintSize(p.seq()) + WireWriter.stringSize(p.target())
                    + WireWriter.stringSize(p.targetAddress());
            case Ack a -> WireWriter.varintSize(a.seq());
            case Nack n -> WireWriter.varintSize(n.seq());
            case Alive a -> WireWriter.stringSize(a.member()) + WireWriter.stringSize(a.address())
                    + WireWriter.varintSize(a.incarnation()) + metadataSize.applyAsInt(a.metadata());
            case Suspect s -> WireWriter.stringSize(s.member()) + WireWriter.varintSize(s.incarnation())
                    + WireWriter.stringSize(s.from());
            case Dead d -> WireWriter.stringSize(d.member()) + WireWriter.varintSize(d.incarnation())
                    + WireWriter.stringSize(d.from());
            case UserBroadcast b -> WireWriter.stringSize(b.origin()) + 8 + WireWriter.varintSize(b.seq())
                    + WireWriter.stringSize(b.channel()) + WireWriter.varintSize(b.payloadView().length)
                    + b.payloadView().length;
        };
    }

    /** Encoded size of a metadata map. */
    public static int metadataSize(Map<String, String> metadata) {
        int size = WireWriter.varintSize(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            size += WireWriter.stringSize(e.getKey()) + WireWriter.stringSize(e.getValue());
        }
        return size;
    }

    private static void write(WireWriter w, SwimMessage message) {
        switch (message) {
            case Ping p -> {
                w.u8(PING);
                w.varint(p.seq());
                w.string(p.target());
            }
            case IndirectPing p -> {
                w.u8(INDIRECT_PING);
                w.varint(p.seq());
                w.string(p.target());
                w.string(p.targetAddress());
            }
            case Ack a -> {
                w.u8(ACK);
                w.varint(a.seq());
            }
            case Nack n -> {
                w.u8(NACK);
                w.varint(n.seq());
            }
            case Alive a -> {
                w.u8(ALIVE);
                w.string(a.member());
                w.string(a.address());
                w.varint(a.incarnation());
                writeMetadata(w, a.metadata());
            }
            case Suspect s -> {
                w.u8(SUSPECT);
                w.string(s.member());
                w.varint(s.incarnation());
                w.string(s.from());
            }
            case Dead d -> {
                w.u8(DEAD);
                w.string(d.member());
                w.varint(d.incarnation());
                w.string(d.from());
            }
            case UserBroadcast b -> {
                w.u8(USER_BROADCAST);
                w.string(b.origin());
                w.fixed64(b.session());
                w.varint(b.seq());
                w.string(b.channel());
                w.bytes(b.payloadView());
            }
        }
    }

    private static SwimMessage read(WireReader r, int index) {
        int type = r.u8("message type");
        return switch (type) {
            case PING -> new Ping(r.varint("ping seq"), r.string("ping target", MAX_NAME_BYTES));
            case INDIRECT_PING -> new IndirectPing(r.varint("indirect ping seq"),
                    r.string("indirect ping target", MAX_NAME_BYTES),
                    r.string("indirect ping target address", MAX_NAME_BYTES));
            case ACK -> new Ack(r.varint("ack seq"));
            case NACK -> new Nack(r.varint("nack seq"));
            case ALIVE -> new Alive(r.string("alive member", MAX_NAME_BYTES), r.string("alive address", MAX_NAME_BYTES),
                    r.varint("alive incarnation"), readMetadata(r));
            case SUSPECT -> new Suspect(r.string("suspect member", MAX_NAME_BYTES), r.varint("suspect incarnation"),
                    r.string("suspect from", MAX_NAME_BYTES));
            case DEAD -> new Dead(r.string("dead member", MAX_NAME_BYTES), r.varint("dead incarnation"),
                    r.string("dead from", MAX_NAME_BYTES));
            case USER_BROADCAST -> new UserBroadcast(r.string("broadcast origin", MAX_NAME_BYTES),
                    r.fixed64("broadcast session"), r.varint("broadcast seq"),
                    r.string("broadcast channel", MAX_NAME_BYTES), r.bytes("broadcast payload", MAX_PAYLOAD_BYTES));
            default -> throw r.malformed("unknown message type " + type + " for message " + index);
        };
    }

    private static void writeMetadata(WireWriter w, Map<String, String> metadata) {
        w.varint(metadata.size());
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            w.string(e.getKey());
            w.string(e.getValue());
        }
    }

    private static Map<String, String> readMetadata(WireReader r) {
        int count = r.length("metadata entry count", MAX_METADATA_ENTRIES);
        if (count == 0) return Map.of();
        Map<String, String> metadata = HashMap.newHashMap(count);
        for (int i = 0; i < count; i++) {
            String key = r.string("metadata key", MAX_NAME_BYTES);
            String value = r.string("metadata value", MAX_METADATA_VALUE_BYTES);
            if (metadata.put(key, value) != null) throw r.malformed("metadata key '" + key + "' appears twice");
        }
        return Map.copyOf(metadata);
    }

    // ---- state exchanges ------------------------------------------------------------------------

    public static byte[] encode(StateExchange exchange) {
        WireWriter w = new WireWriter(64 + exchange.members().size() * 64);
        w.u8(VERSION);
        w.u8(FRAME_EXCHANGE);
        w.u8(exchange.kind().ordinal());
        w.string(exchange.fromId());
        w.string(exchange.fromAddress());
        w.varint(exchange.members().size());
        for (MemberInfo m : exchange.members()) {
            w.string(m.id());
            w.string(m.address());
            w.u8(m.state().ordinal());
            w.varint(m.incarnation());
            writeMetadata(w, m.metadata());
        }
        return w.toByteArray();
    }

    /** Exact size of {@link #encode(StateExchange)}. */
    public static int encodedSize(StateExchange exchange) {
        return encodedSize(exchange, SwimCodec::metadataSize);
    }

    /** Exact size of {@link #encode(StateExchange)}, with metadata sizes from {@code metadataSize}. */
    public static int encodedSize(StateExchange exchange, ToIntFunction<Map<String, String>> metadataSize) {
        int size = 3 + WireWriter.stringSize(exchange.fromId()) + WireWriter.stringSize(exchange.fromAddress())
                + WireWriter.varintSize(exchange.members().size());
        for (MemberInfo m : exchange.members()) {
            size += WireWriter.stringSize(m.id()) + WireWriter.stringSize(m.address()) + 1
                    + WireWriter.varintSize(m.incarnation()) + metadataSize.applyAsInt(m.metadata());
        }
        return size;
    }

    public static StateExchange decodeExchange(byte[] data) {
        WireReader r = new WireReader(data);
        checkVersion(r, FRAME_EXCHANGE, "state exchange");
        int kind = r.u8("exchange kind");
        StateExchange.Kind[] kinds = StateExchange.Kind.values();
        if (kind >= kinds.length) throw r.malformed("unknown exchange kind " + kind);
        String fromId = r.string("exchange sender id", MAX_NAME_BYTES);
        String fromAddress = r.string("exchange sender address", MAX_NAME_BYTES);
        int count = r.length("member count", MAX_MEMBERS);
        NodeState[] states = NodeState.values();
        List<MemberInfo> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = r.string("member id", MAX_NAME_BYTES);
            String address = r.string("member address", MAX_NAME_BYTES);
            int state = r.u8("member state");
            if (state >= states.length) throw r.malformed("unknown member state " + state + " for " + id);
            long incarnation = r.varint("member incarnation");
            members.add(new MemberInfo(id, address, states[state], incarnation, readMetadata(r)));
        }
        r.expectEnd("last member");
        return new StateExchange(kinds[kind], fromId, fromAddress, members);
    }

    private static void checkVersion(WireReader r, int frame, String what) {
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.malformed("unsupported protocol version " + version + " (this member speaks " + VERSION + ")");
        }
        int actual = r.u8("frame type");
        if (actual != frame) throw r.malformed("expected a " + what + " (frame " + frame + "), got frame " + actual);
    }
}
