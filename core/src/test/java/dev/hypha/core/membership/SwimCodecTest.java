package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SwimCodecTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /** Fewer cases for the sweeps that decode every prefix of every packet. */
    static LongStream fewerSeeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void packetsRoundTripAndSizesAreExact(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        Packet packet = randomPacket(random);
        byte[] bytes = SwimCodec.encode(packet);
        assertThat(bytes.length).as("size of %s (seed %d)", packet, seed).isEqualTo(SwimCodec.encodedSize(packet));
        assertThat(SwimCodec.decodePacket(bytes, packet.destination())).as("seed %d", seed).isEqualTo(packet);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fewerSeeds")
    void everyTruncatedPacketIsRejected(long seed) {
        byte[] bytes = SwimCodec.encode(randomPacket(new SplittableRandom(seed)));
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> SwimCodec.decodePacket(prefix, "here:1"))
                    .as("prefix of %d of %d bytes, seed %d", length, bytes.length, seed)
                    .isExactlyInstanceOf(MalformedMessageException.class);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fewerSeeds")
    void exchangesRoundTripAndTruncationsAreRejected(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        List<MemberInfo> members = new ArrayList<>();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            members.add(new MemberInfo(name(random), name(random) + ":" + random.nextInt(65536),
                    NodeState.values()[random.nextInt(4)], random.nextLong(Long.MAX_VALUE), metadata(random)));
        }
        StateExchange exchange = new StateExchange(StateExchange.Kind.values()[random.nextInt(4)], name(random),
                "10.0.0.1:7946", members);
        byte[] bytes = SwimCodec.encode(exchange);
        assertThat(bytes.length).as("size, seed %d", seed).isEqualTo(SwimCodec.encodedSize(exchange));
        assertThat(SwimCodec.decodeExchange(bytes)).as("seed %d", seed).isEqualTo(exchange);
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> SwimCodec.decodeExchange(prefix)).as("prefix %d, seed %d", length, seed)
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] bytes = SwimCodec.encode(new Packet("a", "a:1", "b:1", List.of(new Ping(1, "b"))));
        bytes[0] = 2;
        assertThatThrownBy(() -> SwimCodec.decodePacket(bytes, "b:1"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("unsupported protocol version 2");
    }

    @Test
    void anExchangeIsNotAPacketNorTheReverse() {
        byte[] packet = SwimCodec.encode(new Packet("a", "a:1", "b:1", List.of(new Ack(1))));
        byte[] exchange = SwimCodec.encode(new StateExchange(StateExchange.Kind.JOIN, "a", "a:1", List.of()));
        assertThatThrownBy(() -> SwimCodec.decodeExchange(packet)).hasMessageContaining("expected a state exchange");
        assertThatThrownBy(() -> SwimCodec.decodePacket(exchange, "b:1")).hasMessageContaining("expected a packet");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = SwimCodec.encode(new Packet("a", "a:1", "b:1", List.of(new Ack(7))));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> SwimCodec.decodePacket(longer, "b:1")).hasMessageContaining("unexpected bytes");
    }

    @Test
    void unknownMessageTypeIsRejected() {
        byte[] bytes = SwimCodec.encode(new Packet("a", "a:1", "b:1", List.of(new Ack(7))));
        bytes[bytes.length - 2] = 99; // the ack's type byte, before its one-byte seq
        assertThatThrownBy(() -> SwimCodec.decodePacket(bytes, "b:1")).hasMessageContaining("unknown message type 99");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bytes = SwimCodec.encode(new Packet("ab", "a:1", "b:1", List.of(new Ack(7))));
        bytes[3] = (byte) 0xC3; // first byte of the source id, now an unfinished two-byte sequence
        assertThatThrownBy(() -> SwimCodec.decodePacket(bytes, "b:1")).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void oversizedLengthsAreRejectedBeforeAllocating() {
        // version, frame, then a source id claiming 2^31 bytes
        byte[] bytes = {1, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertThatThrownBy(() -> SwimCodec.decodePacket(bytes, "b:1")).hasMessageContaining("more than the limit");
    }

    @Test
    void nonAsciiNamesRoundTrip() {
        Packet packet = new Packet("nœud-😀", "[::1]:7946", "b:1",
                List.of(new Alive("nœud-😀", "[::1]:7946", 3, Map.of("région", "Île-de-France"))));
        byte[] bytes = SwimCodec.encode(packet);
        assertThat(bytes.length).isEqualTo(SwimCodec.encodedSize(packet));
        assertThat(SwimCodec.decodePacket(bytes, "b:1")).isEqualTo(packet);
    }

    @Test
    void metadataEncodingDoesNotDependOnMapOrder() {
        Map<String, String> a = new HashMap<>();
        Map<String, String> b = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 10; i++) a.put("k" + i, "v" + i);
        for (int i = 9; i >= 0; i--) b.put("k" + i, "v" + i);
        byte[] one = SwimCodec.encode(new Packet("a", "a:1", "b:1", List.of(new Alive("a", "a:1", 1, a))));
        byte[] two = SwimCodec.encode(new Packet("a", "a:1", "b:1", List.of(new Alive("a", "a:1", 1, b))));
        assertThat(one).isEqualTo(two);
    }

    static Packet randomPacket(RandomGenerator random) {
        int n = random.nextInt(12);
        List<SwimMessage> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) messages.add(randomMessage(random));
        return new Packet(name(random), name(random) + ":" + random.nextInt(65536), "dest:1", messages);
    }

    static SwimMessage randomMessage(RandomGenerator random) {
        long big = random.nextBoolean() ? random.nextLong(Long.MAX_VALUE) : random.nextInt(300);
        return switch (random.nextInt(8)) {
            case 0 -> new Ping(big, name(random));
            case 1 -> new IndirectPing(big, name(random), name(random) + ":1");
            case 2 -> new Ack(big);
            case 3 -> new Nack(big);
            case 4 -> new Alive(name(random), name(random), big, metadata(random));
            case 5 -> new Suspect(name(random), big, name(random));
            case 6 -> new Dead(name(random), big, name(random));
            default -> {
                byte[] payload = new byte[random.nextInt(200)];
                random.nextBytes(payload);
                yield new UserBroadcast(name(random), random.nextLong(), big, name(random), payload);
            }
        };
    }

    static Map<String, String> metadata(RandomGenerator random) {
        Map<String, String> m = new HashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) m.put(name(random), name(random));
        return m;
    }

    static String name(RandomGenerator random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-é漢";
        int length = 1 + random.nextInt(16);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        String s = sb.toString();
        assertThat(s.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(SwimCodec.MAX_NAME_BYTES);
        return s;
    }
}
