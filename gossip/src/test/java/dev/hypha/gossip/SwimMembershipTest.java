package dev.hypha.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.core.membership.Packet;
import dev.hypha.core.membership.SwimCodec;
import dev.hypha.core.membership.SwimConfig;
import dev.hypha.core.membership.SwimMessage;
import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SwimMembership on real UDP and TCP sockets on 127.0.0.1, with the local profile. */
class SwimMembershipTest {
    private static final SwimConfig CONFIG = SwimConfig.local();
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final byte[] KEY = Keyring.generateKey();

    private final List<SwimMembership> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(SwimMembership::close);
    }

    @Test
    void threeMembersJoinThroughASeedAndAllSeeEachOtherAlive() throws IOException {
        List<SwimMembership> group = group(3);
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (SwimMembership m : group) {
                assertThat(m.members()).extracting(MemberInfo::id)
                        .containsExactlyInAnyOrder("node-0", "node-1", "node-2");
                assertThat(m.members()).extracting(MemberInfo::state).containsOnly(NodeState.ALIVE);
            }
        });
        MemberInfo seedSeenByLast = find(group.get(2), "node-0");
        assertThat(seedSeenByLast.address()).isEqualTo(group.get(0).address());
        assertThat(seedSeenByLast.metadata()).containsEntry("region", "region-0");
        assertThat(group).allSatisfy(m -> assertThat(m.rejectedPackets()).isZero());
    }

    @Test
    void aMemberClosedWithoutLeavingIsDeclaredDead() throws IOException {
        List<SwimMembership> group = converged(3);
        group.get(2).close();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(find(group.get(0), "node-2").state()).isEqualTo(NodeState.DEAD);
            assertThat(find(group.get(1), "node-2").state()).isEqualTo(NodeState.DEAD);
        });
    }

    @Test
    void aGracefulLeaveIsSeenAsLeft() throws IOException {
        List<SwimMembership> group = converged(3);
        List<MemberInfo> seenBySeed = new CopyOnWriteArrayList<>();
        group.get(0).onChange(seenBySeed::add);
        group.get(1).leave(Duration.ofSeconds(5));
        group.get(1).close();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(find(group.get(0), "node-1").state()).isEqualTo(NodeState.LEFT);
            assertThat(find(group.get(2), "node-1").state()).isEqualTo(NodeState.LEFT);
        });
        assertThat(seenBySeed).filteredOn(m -> m.id().equals("node-1")).extracting(MemberInfo::state)
                .contains(NodeState.LEFT).doesNotContain(NodeState.DEAD);
    }

    @Test
    void aBroadcastReachesEveryMemberOnce() throws IOException {
        List<SwimMembership> group = converged(3);
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        for (SwimMembership m : group) {
            received.put(m.localId(), new CopyOnWriteArrayList<>());
            m.onBroadcast("reputation", payload -> received.get(m.localId()).add(new String(payload)));
        }
        group.get(1).broadcast("reputation", "node-2 finished 3 of 3".getBytes());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(received.values())
                .allSatisfy(list -> assertThat(list).containsExactly("node-2 finished 3 of 3")));
        // Still once each after the gossip has run its course.
        await().pollDelay(Duration.ofSeconds(1)).atMost(PATIENCE).untilAsserted(() -> assertThat(received.values())
                .allSatisfy(list -> assertThat(list).hasSize(1)));
    }

    @Test
    void newMetadataReachesEveryMember() throws IOException {
        List<SwimMembership> group = converged(3);
        group.get(2).updateMetadata(Map.of("region", "eu-north", "carbon", "40"));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(find(group.get(0), "node-2").metadata()).containsEntry("region", "eu-north");
            assertThat(find(group.get(1), "node-2").metadata()).containsEntry("carbon", "40");
        });
    }

    @Test
    void aMemberWithTheWrongKeyCannotJoinAndItsPacketsAreCountedAsRejected() throws Exception {
        List<SwimMembership> group = converged(2);
        SwimMembership intruder = start("intruder", Keyring.of(Keyring.generateKey()), group.get(0));
        await().atMost(PATIENCE).until(() -> group.get(0).rejectedPackets() > 0);
        // A datagram under a wrong key is counted as rejected, not as malformed: it is never parsed.
        long malformedBefore = group.get(0).malformedPackets();
        sendRaw(group.get(0), Keyring.of(Keyring.generateKey()));
        await().atMost(PATIENCE).until(() -> group.get(0).rejectedPackets() >= 2);
        assertThat(group.get(0).malformedPackets()).isEqualTo(malformedBefore);

        await().pollDelay(Duration.ofSeconds(1)).atMost(PATIENCE).untilAsserted(() -> {
            assertThat(intruder.members()).extracting(MemberInfo::id).containsExactly("intruder");
            for (SwimMembership m : group) assertThat(m.members()).extracting(MemberInfo::id).doesNotContain("intruder");
        });
    }

    @Test
    void anAuthenticPacketThatDoesNotDecodeIsCountedAsMalformed() throws Exception {
        SwimMembership alone = start("alone", Keyring.of(KEY));
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] sealed = Keyring.of(KEY).seal(new byte[] {1, 1, 0});
            socket.send(new DatagramPacket(sealed, sealed.length, InetAddress.getLoopbackAddress(), alone.port()));
        }
        await().atMost(PATIENCE).until(() -> alone.malformedPackets() == 1);
        assertThat(alone.rejectedPackets()).isZero();
    }

    @Test
    void keysRotateWithoutSplittingTheGroup() throws IOException {
        List<SwimMembership> group = converged(3);
        Set<String> trouble = ConcurrentHashMap.newKeySet();
        for (SwimMembership m : group) {
            m.onChange(info -> {
                if (info.state() != NodeState.ALIVE) trouble.add(m.localId() + " saw " + info.id() + " " + info.state());
            });
        }
        byte[] next = Keyring.generateKey();
        group.forEach(m -> m.keyring().add(next));
        pause();
        group.forEach(m -> m.keyring().use(next));
        pause();
        group.forEach(m -> m.keyring().remove(KEY));
        pause();

        Map<String, List<String>> received = new ConcurrentHashMap<>();
        for (SwimMembership m : group) {
            received.put(m.localId(), new CopyOnWriteArrayList<>());
            m.onBroadcast("ops", payload -> received.get(m.localId()).add(new String(payload)));
        }
        group.get(0).broadcast("ops", "rotated".getBytes());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(received.values())
                .allSatisfy(list -> assertThat(list).containsExactly("rotated")));
        assertThat(trouble).isEmpty();
        assertThat(group).allSatisfy(m -> assertThat(m.rejectedPackets()).isZero());

        // A newcomer with only the new key joins; one with only the old key cannot.
        SwimMembership fresh = start("fresh", Keyring.of(next), group.get(0));
        SwimMembership stale = start("stale", Keyring.of(KEY), group.get(0));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(fresh.members()).hasSize(4);
            assertThat(find(group.get(1), "fresh").state()).isEqualTo(NodeState.ALIVE);
            assertThat(group.get(0).rejectedPackets()).isPositive();
        });
        assertThat(stale.members()).hasSize(1);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Starts {@code n} members; member 0 is the seed of the others. */
    private List<SwimMembership> group(int n) throws IOException {
        List<SwimMembership> group = new ArrayList<>();
        group.add(start("node-0", Keyring.of(KEY)));
        for (int i = 1; i < n; i++) group.add(start("node-" + i, Keyring.of(KEY), group.getFirst()));
        return group;
    }

    private List<SwimMembership> converged(int n) throws IOException {
        List<SwimMembership> group = group(n);
        await().atMost(PATIENCE).until(() -> group.stream().allMatch(m -> m.members().size() == n
                && m.members().stream().allMatch(info -> info.state() == NodeState.ALIVE)));
        return group;
    }

    private SwimMembership start(String id, Keyring keyring, SwimMembership... seeds) throws IOException {
        List<InetSocketAddress> seedAddresses = new ArrayList<>();
        for (SwimMembership s : seeds) seedAddresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port()));
        SwimMembership m = SwimMembership.start(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                seedAddresses, Map.of("region", "region-" + id.replaceAll("\\D", ""), "member", "coop-a"), keyring,
                CONFIG, InstantSource.system());
        started.add(m);
        return m;
    }

    /** A valid SWIM ping, sealed under {@code keyring}, sent straight to {@code target}'s port. */
    private static void sendRaw(SwimMembership target, Keyring keyring) throws IOException {
        byte[] packet = SwimCodec.encode(new Packet("intruder", "127.0.0.1:9", target.address(),
                List.of(new SwimMessage.Ping(1, target.localId()))));
        byte[] sealed = keyring.seal(packet);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(sealed, sealed.length, InetAddress.getLoopbackAddress(), target.port()));
        }
    }

    private static MemberInfo find(SwimMembership observer, String id) {
        return observer.members().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(observer.localId() + " does not know " + id));
    }

    /** Lets a few protocol periods pass between rotation steps, as an operator would. */
    private static void pause() {
        await().pollDelay(CONFIG.probeInterval().multipliedBy(3)).until(() -> true);
    }
}
