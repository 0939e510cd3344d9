package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A few SwimNodes wired together for scenario tests: instant delivery, a millisecond clock, links
 * that can be blocked one way, members that can crash. Every packet goes through the codec and is
 * checked against the packet size limit, so scenarios also exercise the wire format.
 */
final class TestCluster {
    static final int ENVELOPE = 33;

    final SwimConfig config;
    final Map<String, SwimNode> nodes = new LinkedHashMap<>();
    final Map<String, List<MemberChange>> changes = new LinkedHashMap<>();
    final Map<String, List<SwimEvent>> events = new LinkedHashMap<>();
    final Map<String, List<Delivery>> deliveries = new LinkedHashMap<>();
    final List<Packet> sent = new ArrayList<>();
    /** Member changes and events, one line each, with the time since the cluster was created. */
    final List<String> trace = new ArrayList<>();
    private final long start;
    private final Set<String> blocked = new HashSet<>();
    private final Set<String> crashed = new HashSet<>();
    private final ArrayDeque<Runnable> inflight = new ArrayDeque<>();
    private long now = 1_000_000;

    TestCluster(SwimConfig config, long seed, String... ids) {
        this.config = config;
        this.start = now;
        for (int i = 0; i < ids.length; i++) {
            String id = ids[i];
            nodes.put(id, new SwimNode(id, address(id), Map.of("region", "eu-" + i), config, ENVELOPE,
                    new SplittableRandom(seed * 31 + i), now()));
            changes.put(id, new ArrayList<>());
            events.put(id, new ArrayList<>());
            deliveries.put(id, new ArrayList<>());
        }
    }

    static String address(String id) {
        return id + ":7946";
    }

    static String idOf(String address) {
        return address.substring(0, address.indexOf(':'));
    }

    Instant now() {
        return Instant.ofEpochMilli(now);
    }

    SwimNode node(String id) {
        return nodes.get(id);
    }

    /** Every member joins through the first one, then everything is delivered. */
    TestCluster joined() {
        String seed = nodes.keySet().iterator().next();
        for (String id : nodes.keySet()) {
            if (!id.equals(seed)) absorb(id, node(id).join(List.of(address(seed)), now()));
        }
        deliver();
        return this;
    }

    /** Drops every packet and stream from {@code from} to {@code to} until unblocked. */
    void block(String from, String to) {
        blocked.add(from + ">" + to);
    }

    void unblock(String from, String to) {
        blocked.remove(from + ">" + to);
    }

    void crash(String id) {
        crashed.add(id);
    }

    /** Feeds a call's Ready back into the network. */
    void absorb(String id, Ready ready) {
        for (MemberChange ch : ready.changes()) {
            trace.add(String.format("%7d  %s sees %s %s -> %s at incarnation %d", now - start, id, ch.member().id(),
                    ch.previous() == null ? "new" : ch.previous(), ch.member().state(), ch.member().incarnation()));
        }
        for (SwimEvent e : ready.events()) trace.add(String.format("%7d  %s %s", now - start, id, e));
        changes.get(id).addAll(ready.changes());
        events.get(id).addAll(ready.events());
        deliveries.get(id).addAll(ready.deliveries());
        for (Packet p : ready.packets()) {
            byte[] bytes = SwimCodec.encode(p);
            assertThat(bytes.length + ENVELOPE).as("packet from %s", id).isLessThanOrEqualTo(config.maxPacketSize());
            Packet decoded = SwimCodec.decodePacket(bytes, p.destination());
            assertThat(decoded).isEqualTo(p);
            sent.add(p);
            String to = idOf(p.destination());
            if (crashed.contains(to) || blocked.contains(id + ">" + to) || !nodes.containsKey(to)) continue;
            inflight.add(() -> absorb(to, node(to).step(decoded, now())));
        }
        for (Stream s : ready.streams()) {
            String to = idOf(s.destination());
            StateExchange decoded = SwimCodec.decodeExchange(SwimCodec.encode(s.exchange()));
            if (crashed.contains(to) || blocked.contains(id + ">" + to) || !nodes.containsKey(to)) {
                if (!s.exchange().kind().isReply()) inflight.add(() -> absorb(id, node(id).streamFailed(s, now())));
                continue;
            }
            inflight.add(() -> absorb(to, node(to).step(decoded, now())));
        }
    }

    /** Delivers everything in flight, including what the deliveries cause. */
    void deliver() {
        while (!inflight.isEmpty()) inflight.poll().run();
    }

    /** Advances the clock by {@code duration}, ticking each live member when its timers are due. */
    void run(Duration duration) {
        long end = now + duration.toMillis();
        while (true) {
            long next = Long.MAX_VALUE;
            for (Map.Entry<String, SwimNode> e : nodes.entrySet()) {
                if (!crashed.contains(e.getKey())) next = Math.min(next, e.getValue().nextTickAt().toEpochMilli());
            }
            if (next > end) break;
            now = Math.max(now, next);
            for (Map.Entry<String, SwimNode> e : nodes.entrySet()) {
                if (crashed.contains(e.getKey())) continue;
                if (e.getValue().nextTickAt().toEpochMilli() <= now) absorb(e.getKey(), e.getValue().tick(now()));
            }
            deliver();
        }
        now = end;
    }

    /** Runs until {@code condition} holds, at most {@code limit}; true when it held. */
    boolean runUntil(BooleanSupplier condition, Duration limit) {
        long end = now + limit.toMillis();
        while (now < end) {
            if (condition.getAsBoolean()) return true;
            run(Duration.ofMillis(10));
        }
        return condition.getAsBoolean();
    }

    /** How {@code observer} sees {@code subject}, or null when it does not know it. */
    MemberInfo view(String observer, String subject) {
        for (MemberInfo m : node(observer).members()) {
            if (m.id().equals(subject)) return m;
        }
        return null;
    }

    NodeState state(String observer, String subject) {
        MemberInfo m = view(observer, subject);
        return m == null ? null : m.state();
    }

    boolean everyoneSees(String subject, NodeState state, String... observers) {
        for (String o : observers) {
            if (state(o, subject) != state) return false;
        }
        return true;
    }

    long nowMillis() {
        return now;
    }
}
