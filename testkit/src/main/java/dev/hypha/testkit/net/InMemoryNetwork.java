package dev.hypha.testkit.net;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A network of addresses in one process, with loss, delay and partitions, driven by a virtual clock.
 *
 * <p>Datagrams ({@code reliable = false}) can be lost: per link with {@link #drop}, or everywhere with
 * {@link #setLoss}. Streams ({@code reliable = true}) are never lost but fail when the link is cut or
 * the destination is gone: they come back to the sender as a {@link Delivery#bounced() bounce}.
 * {@link #cut}, {@link #isolate} and {@link #heal} partition and repair the network, as in
 * etcd-raft's test network. Nothing moves by itself: the owner asks for the {@link #poll next
 * delivery} due at the clock's time and hands it to the receiver.
 *
 * <p>Deterministic: loss and delay draw from the seeded generator in send order, and deliveries due at
 * the same millisecond come out in send order. Not thread-safe.
 */
public final class InMemoryNetwork {

    /** What travels: opaque to the network except for its size, which the statistics count. */
    public record Envelope(String from, String to, Object payload, int bytes, boolean reliable) {
        public Envelope {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * An envelope arriving at {@code atMillis}: at {@code envelope.to()}, or, when {@code bounced},
     * back at {@code envelope.from()} because a stream could not be delivered. {@code seq} orders
     * deliveries due at the same millisecond by send order.
     */
    public record Delivery(long atMillis, Envelope envelope, boolean bounced, long seq) {}

    /** Counters since the last {@link #resetStats()}. */
    public record Stats(long sent, long bytesSent, long lost, long cut, long delivered, long bounced) {}

    private record Link(String from, String to) {}


    private final InstantSource clock;
    private final RandomGenerator random;
    private final Set<String> attached = new HashSet<>();
    private final Map<Link, Double> linkLoss = new HashMap<>();
    private final Map<Link, Long> linkDelay = new HashMap<>();
    private final Set<Link> cuts = new HashSet<>();
    private final Set<String> isolated = new HashSet<>();
    /** Deliveries by due time, then send order (the sequence number of each delivery). */
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>((a, b) ->
            a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private double loss;
    private long minDelayMillis = 1;
    private long maxDelayMillis = 3;
    private long seq;
    private long sent;
    private long bytesSent;
    private long lost;
    private long cut;
    private long delivered;
    private long bounced;

    public InMemoryNetwork(InstantSource clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    // ---- topology -------------------------------------------------------------------------------

    /** Makes {@code address} reachable. */
    public void attach(String address) {
        attached.add(address);
    }

    /** Takes {@code address} off the network: as a crashed machine, it receives nothing more. */
    public void detach(String address) {
        attached.remove(address);
    }

    public boolean isAttached(String address) {
        return attached.contains(address);
    }

    /** Loss probability of every datagram on every link without its own setting. */
    public void setLoss(double probability) {
        loss = probability(probability);
    }

    /** Loss probability of datagrams from {@code from} to {@code to} (one direction). */
    public void drop(String from, String to, double probability) {
        linkLoss.put(new Link(from, to), probability(probability));
    }

    /** Delay of every delivery without a link setting: uniform between {@code min} and {@code max}. */
    public void setDelay(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("delay range must satisfy 0 <= min <= max, got " + min + ".." + max);
        }
        minDelayMillis = min.toMillis();
        maxDelayMillis = max.toMillis();
    }

    /** Fixed delay from {@code from} to {@code to} (one direction). */
    public void delay(String from, String to, Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("delay must not be negative: " + delay);
        linkDelay.put(new Link(from, to), delay.toMillis());
    }

    /** Nothing passes between {@code a} and {@code b}, either way, until {@link #heal()}. */
    public void cut(String a, String b) {
        cuts.add(new Link(a, b));
        cuts.add(new Link(b, a));
    }

    /** Nothing passes between {@code a} and anyone else until {@link #heal()}. */
    public void isolate(String a) {
        isolated.add(a);
    }

    /** Removes every cut and isolation; loss and delay settings stay. */
    public void heal() {
        cuts.clear();
        isolated.clear();
    }

    public boolean isPartitioned(String from, String to) {
        return isolated.contains(from) || isolated.contains(to)
                || (!cuts.isEmpty() && cuts.contains(new Link(from, to)));
    }

    // ---- traffic --------------------------------------------------------------------------------

    /** Sends {@code payload} of {@code bytes} from {@code from} to {@code to}; see the class comment. */
    public void send(String from, String to, Object payload, int bytes, boolean reliable) {
        Envelope envelope = new Envelope(from, to, payload, bytes, reliable);
        sent++;
        bytesSent += bytes;
        long now = clock.millis();
        long delay = delayOf(from, to);
        if (isPartitioned(from, to)) {
            cut++;
            if (reliable) schedule(now + delay, envelope, true);
            return;
        }
        if (!reliable && lossOf(from, to) > 0 && random.nextDouble() < lossOf(from, to)) {
            lost++;
            return;
        }
        schedule(now + delay, envelope, false);
    }

    /** When the next delivery is due, or {@link Long#MAX_VALUE} when nothing is in flight. */
    public long nextDeliveryMillis() {
        Delivery next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.atMillis();
    }

    /**
     * The next delivery due at or before {@code untilMillis}, or null. A datagram to an address that
     * is gone or cut off by now is dropped on the way; a stream in that case bounces.
     */
    public Delivery poll(long untilMillis) {
        while (!inFlight.isEmpty() && inFlight.peek().atMillis() <= untilMillis) {
            Delivery d = inFlight.poll();
            Envelope e = d.envelope();
            if (d.bounced()) {
                if (!attached.contains(e.from())) continue;
                bounced++;
                return d;
            }
            if (!attached.contains(e.to()) || isPartitioned(e.from(), e.to())) {
                if (e.reliable() && attached.contains(e.from())) {
                    bounced++;
                    return new Delivery(d.atMillis(), e, true, d.seq());
                }
                lost++;
                continue;
            }
            delivered++;
            return d;
        }
        return null;
    }

    public int inFlight() {
        return inFlight.size();
    }

    public Stats stats() {
        return new Stats(sent, bytesSent, lost, cut, delivered, bounced);
    }

    public void resetStats() {
        sent = 0;
        bytesSent = 0;
        lost = 0;
        cut = 0;
        delivered = 0;
        bounced = 0;
    }

    private void schedule(long at, Envelope envelope, boolean bounce) {
        inFlight.add(new Delivery(at, envelope, bounce, seq++));
    }

    private long delayOf(String from, String to) {
        if (!linkDelay.isEmpty()) {
            Long fixed = linkDelay.get(new Link(from, to));
            if (fixed != null) return fixed;
        }
        return minDelayMillis == maxDelayMillis ? minDelayMillis
                : minDelayMillis + random.nextLong(maxDelayMillis - minDelayMillis + 1);
    }

    private double lossOf(String from, String to) {
        if (!linkLoss.isEmpty()) {
            Double p = linkLoss.get(new Link(from, to));
            if (p != null) return p;
        }
        return loss;
    }

    private static double probability(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        return p;
    }
}
