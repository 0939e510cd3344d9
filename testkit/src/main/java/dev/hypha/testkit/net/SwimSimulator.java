package dev.hypha.testkit.net;

import dev.hypha.core.membership.MemberChange;
import dev.hypha.core.membership.Packet;
import dev.hypha.core.membership.Ready;
import dev.hypha.core.membership.StateExchange;
import dev.hypha.core.membership.Stream;
import dev.hypha.core.membership.SwimCodec;
import dev.hypha.core.membership.SwimConfig;
import dev.hypha.core.membership.SwimEvent;
import dev.hypha.core.membership.SwimNode;
import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import dev.hypha.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Runs N {@link SwimNode}s on an {@link InMemoryNetwork} with a virtual clock, deterministically:
 * the same seed gives the same run, event for event.
 *
 * <p>Event-driven: it jumps the clock to the earliest due delivery or member timer, so a thousand
 * members over hundreds of protocol periods take seconds. It also measures what the protocol is
 * for: how long after a {@link #crash} each live member declares the crashed one dead, how often a
 * running member is wrongly suspected or declared dead, bandwidth, and how long a
 * {@link #broadcast} takes to reach everyone ({@link #report()}).
 *
 * <p>Every datagram is checked against the configured packet size, envelope included; a larger one
 * is a bug and stops the run.
 */
public final class SwimSimulator {
    /** Bytes the gossip module's AES-GCM envelope adds to each datagram (version, key id, nonce, tag). */
    public static final int ENVELOPE_BYTES = 33;
    /** Bytes of the length prefix of a stream frame. */
    private static final int FRAME_BYTES = 4;

    private final SwimConfig config;
    private final FakeClock clock;
    private final InMemoryNetwork network;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Member> byId = new HashMap<>();
    private final Map<String, Member> byAddress = new HashMap<>();
    private final WakeHeap wakes;
    /** Encoded sizes of metadata maps: messages share the few map instances, so sizing is a lookup. */
    private final IdentityHashMap<Map<String, String>, Integer> metadataSizes = new IdentityHashMap<>();
    private final java.util.function.ToIntFunction<Map<String, String>> metadataSize = this::metadataSize;

    // Measurements since the last reset.
    private final Map<String, Long> crashedAt = new LinkedHashMap<>();
    private final Set<String> left = new HashSet<>();
    private final Map<String, Set<String>> detectedBy = new HashMap<>();
    private final List<Long> detectionMillis = new ArrayList<>();
    private final List<FalsePositive> falsePositives = new ArrayList<>();
    private final Set<String> falseSuspicions = new HashSet<>();
    private long refutations;
    private long measuredSince;
    private int joinsCompleted;
    private String trackedBroadcast;
    private long trackedSince;
    private final Map<String, Long> trackedDeliveries = new HashMap<>();
    private long duplicateDeliveries;

    /** One simulated member. */
    private static final class Member {
        final int index;
        final String id;
        final String address;
        final SwimNode node;
        boolean up = true;
        int aliveView;

        Member(int index, String id, String address, SwimNode node) {
            this.index = index;
            this.id = id;
            this.address = address;
            this.node = node;
        }
    }

    /**
     * Creates {@code size} members that know nobody yet; {@link #joinAll} brings them together.
     * Member i is {@code node-i} at {@code 10.x.y.z:7946}, with metadata like a real node's.
     */
    public SwimSimulator(int size, SwimConfig config, long seed) {
        if (size < 1) throw new IllegalArgumentException("a simulation needs at least one member, got " + size);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = new FakeClock();
        this.network = new InMemoryNetwork(clock, new SplittableRandom(seed));
        this.wakes = new WakeHeap(size);
        SplittableRandom seeds = new SplittableRandom(seed ^ 0x5DEECE66DL);
        String[] regions = {"eu-west", "eu-north", "us-east", "ap-south"};
        for (int i = 0; i < size; i++) {
            String id = String.format("node-%04d", i);
            String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + ":7946";
            Map<String, String> metadata = Map.of(
                    "region", regions[i % regions.length],
                    "capacity", "cpu=" + (2000 + 1000 * (i % 8)) + ",memory=" + (4096 << (i % 3)),
                    "price", "0." + (10 + i % 37),
                    "carbon", Integer.toString(50 + (i * 7) % 400),
                    "member", "coop-" + (i % 50));
            SwimNode node = new SwimNode(id, address, metadata, config, ENVELOPE_BYTES, seeds.split(), clock.instant());
            Member m = new Member(i, id, address, node);
            members.add(m);
            byId.put(id, m);
            byAddress.put(address, m);
            network.attach(address);
            reschedule(m);
        }
        measuredSince = clock.millis();
    }

    public FakeClock clock() {
        return clock;
    }

    public InMemoryNetwork network() {
        return network;
    }

    public SwimConfig config() {
        return config;
    }

    public int size() {
        return members.size();
    }

    public List<String> ids() {
        return members.stream().map(m -> m.id).toList();
    }

    public String id(int index) {
        return members.get(index).id;
    }

    public String address(String id) {
        return member(id).address;
    }

    public SwimNode node(String id) {
        return member(id).node;
    }

    public boolean isUp(String id) {
        return member(id).up;
    }

    // ---- scenario verbs -------------------------------------------------------------------------

    /**
     * Brings every member into one group through the first as seed, the way real members join, and
     * waits until every member sees every other alive and has sent its own join news; then resets
     * the measurements.
     *
     * <p>Members join twice: the seed answers the first joiners before it has heard of the later
     * ones, and a joiner does not re-gossip what a seed tells it; the second round gives everyone
     * the seed's full view. The seed itself goes on gossiping the joins it heard for a while (each
     * news retransmit-limit times: about a minute for 1,000 members); nobody else learns anything
     * from it, and it adds a few bytes per member per second to the first minute's traffic.
     *
     * @throws IllegalStateException when the group has not settled within {@code limit}
     */
    public void joinAll(Duration limit) {
        long deadline = clock.millis() + limit.toMillis();
        Member seed = members.getFirst();
        for (int round = 0; round < 2; round++) {
            joinsCompleted = 0;
            for (Member m : members) {
                if (m != seed && m.up) apply(m, m.node.join(List.of(seed.address), clock.instant()));
            }
            int expected = (int) members.stream().filter(m -> m != seed && m.up).count();
            if (!runUntil(() -> joinsCompleted >= expected, Duration.ofMillis(deadline - clock.millis()))) {
                throw new IllegalStateException("only " + joinsCompleted + " of " + expected + " joins completed");
            }
        }
        int n = members.size();
        boolean settled = runUntil(() -> {
            for (Member m : members) {
                if (m.up && (m.aliveView != n - 1 || (m != seed && m.node.pendingBroadcasts() > 0))) return false;
            }
            return true;
        }, Duration.ofMillis(Math.max(0, deadline - clock.millis())));
        if (!settled) {
            long converged = members.stream().filter(m -> m.aliveView == n - 1).count();
            throw new IllegalStateException("the group did not settle within " + limit + ": " + converged + " of "
                    + n + " members see everyone alive");
        }
        resetMeasurements();
    }

    /**
     * Stops {@code id} without a word, as a machine losing power. A member that has left is only
     * shut down: nobody has to detect it.
     */
    public void crash(String id) {
        Member m = member(id);
        if (!m.up) return;
        m.up = false;
        wakes.remove(m.index);
        network.detach(m.address);
        if (!left.contains(id)) crashedAt.put(id, clock.millis());
    }

    /** {@code id} announces a graceful leave and keeps running until the test crashes it. */
    public void leave(String id) {
        Member m = member(id);
        left.add(id);
        apply(m, m.node.leave(clock.instant()));
    }

    /** {@code id} broadcasts {@code payload}; {@link #report()} measures its dissemination. */
    public void broadcast(String id, String channel, byte[] payload) {
        trackedBroadcast = channel + "\u0000" + id + "\u0000" + Arrays.hashCode(payload);
        trackedSince = clock.millis();
        trackedDeliveries.clear();
        duplicateDeliveries = 0;
        Member m = member(id);
        apply(m, m.node.broadcast(channel, payload, clock.instant()));
    }

    /** Live members that have received the last broadcast. */
    public int broadcastReach() {
        int reached = 0;
        for (Member m : members) {
            if (m.up && trackedDeliveries.containsKey(m.id)) reached++;
        }
        return reached;
    }

    /** A running member declared dead: who said so, about whom, at which incarnation, when. */
    public record FalsePositive(String observer, String subject, long incarnation, double atPeriod) {}

    /** Every running member declared dead since the last reset, in order. */
    public List<FalsePositive> falsePositives() {
        return List.copyOf(falsePositives);
    }

    /** Deliveries of the last broadcast to a member that already had it (should be zero). */
    public long broadcastDuplicates() {
        return duplicateDeliveries;
    }

    /** How {@code observer} sees {@code subject}: its state, or null when it does not know it. */
    public NodeState view(String observer, String subject) {
        for (MemberInfo info : node(observer).members()) {
            if (info.id().equals(subject)) return info.state();
        }
        return null;
    }

    /** True when every live member other than {@code subject} sees it in {@code state}. */
    public boolean allLiveSee(String subject, NodeState state) {
        for (Member m : members) {
            if (m.up && !m.id.equals(subject) && view(m.id, subject) != state) return false;
        }
        return true;
    }

    /** True when every live member has declared every crashed member dead. */
    public boolean crashesDetected() {
        for (String crashed : crashedAt.keySet()) {
            Set<String> by = detectedBy.getOrDefault(crashed, Set.of());
            for (Member m : members) {
                if (m.up && !m.id.equals(crashed) && !by.contains(m.id)) return false;
            }
        }
        return true;
    }

    /** Live members that see every other live member alive. */
    public long converged() {
        int liveCount = (int) members.stream().filter(m -> m.up).count();
        return members.stream().filter(m -> m.up && m.aliveView >= liveCount - 1).count();
    }

    // ---- running --------------------------------------------------------------------------------

    /** Advances the virtual clock by {@code duration}, delivering and ticking everything due. */
    public void runFor(Duration duration) {
        runUntilMillis(clock.millis() + duration.toMillis());
    }

    /**
     * Runs until {@code condition} holds (checked every tenth of a protocol period) or {@code limit}
     * has passed; true when it holds.
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        long end = clock.millis() + limit.toMillis();
        long step = Math.max(1, config.probeInterval().toMillis() / 10);
        while (!condition.getAsBoolean()) {
            if (clock.millis() >= end) return false;
            runUntilMillis(Math.min(end, clock.millis() + step));
        }
        return true;
    }

    private void runUntilMillis(long end) {
        while (true) {
            long nextWake = wakes.minTime();
            long nextDelivery = network.nextDeliveryMillis();
            long next = Math.min(nextWake, nextDelivery);
            if (next > end) break;
            if (next > clock.millis()) clock.set(Instant.ofEpochMilli(next));
            if (nextDelivery <= nextWake) {
                InMemoryNetwork.Delivery d = network.poll(next);
                if (d != null) deliver(d);
            } else {
                Member m = members.get(wakes.minMember());
                apply(m, m.node.tick(clock.instant()));
            }
        }
        if (end > clock.millis()) clock.set(Instant.ofEpochMilli(end));
    }

    private void deliver(InMemoryNetwork.Delivery d) {
        InMemoryNetwork.Envelope e = d.envelope();
        if (d.bounced()) {
            Member sender = byAddress.get(e.from());
            if (sender != null && sender.up && e.payload() instanceof Stream s && !s.exchange().kind().isReply()) {
                apply(sender, sender.node.streamFailed(s, clock.instant()));
            }
            return;
        }
        Member to = byAddress.get(e.to());
        if (to == null || !to.up) return;
        Ready ready = switch (e.payload()) {
            case Packet p -> to.node.step(p, clock.instant());
            case Stream s -> to.node.step(s.exchange(), clock.instant());
            default -> throw new IllegalStateException("unexpected payload " + e.payload());
        };
        apply(to, ready);
    }

    /** Puts a Ready to work: traffic onto the network, changes into the measurements. */
    private void apply(Member m, Ready ready) {
        if (ready == Ready.EMPTY) {
            reschedule(m);
            return;
        }
        for (Packet p : ready.packets()) {
            int bytes = SwimCodec.encodedSize(p, metadataSize) + ENVELOPE_BYTES;
            if (bytes > config.maxPacketSize()) {
                throw new IllegalStateException(m.id + " built a datagram of " + bytes + " bytes, more than "
                        + config.maxPacketSize() + ": " + p);
            }
            network.send(m.address, p.destination(), p, bytes, false);
        }
        for (Stream s : ready.streams()) {
            int bytes = SwimCodec.encodedSize(s.exchange(), metadataSize) + ENVELOPE_BYTES + FRAME_BYTES;
            network.send(m.address, s.destination(), s, bytes, true);
        }
        for (MemberChange change : ready.changes()) observe(m, change);
        for (SwimEvent event : ready.events()) {
            switch (event) {
                case SwimEvent.Refuted r -> refutations++;
                case SwimEvent.JoinCompleted j -> joinsCompleted++;
                default -> { }
            }
        }
        if (trackedBroadcast != null) {
            for (var delivery : ready.deliveries()) {
                String key = delivery.channel() + "\u0000" + delivery.origin() + "\u0000"
                        + Arrays.hashCode(delivery.payload());
                if (key.equals(trackedBroadcast) && trackedDeliveries.putIfAbsent(m.id, clock.millis()) != null) {
                    duplicateDeliveries++;
                }
            }
        }
        reschedule(m);
    }

    private void observe(Member observer, MemberChange change) {
        MemberInfo subject = change.member();
        if (subject.id().equals(observer.id)) return;
        NodeState previous = change.previous();
        NodeState now = subject.state();
        if (previous == NodeState.ALIVE && now != NodeState.ALIVE) observer.aliveView--;
        if (previous != NodeState.ALIVE && now == NodeState.ALIVE) observer.aliveView++;
        if (previous == now) return;
        boolean running = !crashedAt.containsKey(subject.id()) && !left.contains(subject.id());
        if (now == NodeState.DEAD) {
            if (running) {
                falsePositives.add(new FalsePositive(observer.id, subject.id(), subject.incarnation(),
                        (clock.millis() - measuredSince) / (double) config.probeInterval().toMillis()));
            } else if (crashedAt.containsKey(subject.id())
                    && detectedBy.computeIfAbsent(subject.id(), k -> new HashSet<>()).add(observer.id)) {
                detectionMillis.add(clock.millis() - crashedAt.get(subject.id()));
            }
        } else if (now == NodeState.SUSPECT && running) {
            falseSuspicions.add(subject.id() + "@" + subject.incarnation());
        }
    }

    private int metadataSize(Map<String, String> metadata) {
        Integer size = metadataSizes.get(metadata);
        if (size == null) {
            if (metadataSizes.size() > 100_000) metadataSizes.clear();
            size = SwimCodec.metadataSize(metadata);
            metadataSizes.put(metadata, size);
        }
        return size;
    }

    private void reschedule(Member m) {
        if (m.up) wakes.set(m.index, m.node.nextTickAt().toEpochMilli());
    }

    private Member member(String id) {
        Member m = byId.get(id);
        if (m == null) throw new IllegalArgumentException("no member " + id + " in this simulation");
        return m;
    }

    // ---- measurements ---------------------------------------------------------------------------

    /** Starts counting afresh: crashes so far stay crashed but are no longer measured. */
    public void resetMeasurements() {
        network.resetStats();
        detectionMillis.clear();
        detectedBy.clear();
        crashedAt.clear();
        falsePositives.clear();
        falseSuspicions.clear();
        refutations = 0;
        trackedBroadcast = null;
        trackedDeliveries.clear();
        measuredSince = clock.millis();
    }

    public SimulationReport report() {
        double period = config.probeInterval().toMillis();
        double seconds = (clock.millis() - measuredSince) / 1000.0;
        int live = (int) members.stream().filter(m -> m.up).count();
        long[] samples = detectionMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        long undetected = 0;
        for (String crashed : crashedAt.keySet()) {
            Set<String> by = detectedBy.getOrDefault(crashed, Set.of());
            for (Member m : members) {
                if (m.up && !by.contains(m.id)) undetected++;
            }
        }
        InMemoryNetwork.Stats stats = network.stats();
        double perMemberSecond = seconds > 0 && live > 0 ? 1.0 / (live * seconds) : Double.NaN;
        double dissemination = Double.NaN;
        if (trackedBroadcast != null && broadcastReach() == live) {
            long last = trackedDeliveries.values().stream().mapToLong(Long::longValue).max().orElse(trackedSince);
            dissemination = (last - trackedSince) / period;
        }
        return new SimulationReport(members.size(), live, (clock.millis() - measuredSince) / period,
                samples.length, undetected, percentile(samples, 50) / period, percentile(samples, 99) / period,
                samples.length == 0 ? Double.NaN : samples[samples.length - 1] / period, falsePositives.size(),
                falseSuspicions.size(), refutations, stats.bytesSent() * perMemberSecond, stats.sent() * perMemberSecond,
                dissemination);
    }

    /** Nearest-rank percentile of sorted samples, NaN when there are none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
