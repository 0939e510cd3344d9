package dev.hypha.core.membership;

import java.time.Duration;
import java.util.Objects;

/**
 * The tuning of the SWIM failure detector and its dissemination, validated when built.
 *
 * <p>Every field trades detection speed against bandwidth and false positives; the comments give
 * the formula each one feeds. {@link #lan()} copies hashicorp/memberlist's {@code DefaultLANConfig};
 * {@link #local()} is for members on one machine (tests, {@code hypha up}).
 *
 * @param probeInterval           time between two probes of one random member (the protocol period);
 *                                shorter finds failures sooner and costs more packets
 * @param probeTimeout            wait for a direct ack before asking {@code indirectChecks} peers;
 *                                set it near the network's p99 round trip; at most half the interval so the
 *                                indirect round and its nacks fit in the same period
 * @param indirectChecks          peers asked to probe a member that missed its direct ack (SWIM's k);
 *                                more peers, fewer false suspicions from one lossy path
 * @param suspicionMult           minimum suspicion = suspicionMult × max(1, log10 n) × probeInterval; time a
 *                                suspected member has to refute before it is declared dead
 * @param suspicionMaxTimeoutMult maximum suspicion = this × minimum; Lifeguard starts a suspicion at the
 *                                maximum and lowers it toward the minimum as independent peers confirm it
 * @param retransmitMult          each update is sent retransmitMult × ceil(log10(n + 1)) times by each
 *                                member that learns it, enough to reach everyone with high probability
 * @param pushPullInterval        time between two full state exchanges over TCP (anti-entropy), scaled up by
 *                                log2 beyond 32 members; zero disables them
 * @param awarenessMaxMultiplier  Lifeguard's local health bound: probe interval and timeout stretch up to this
 *                                factor while the local member misses acks and nacks (it is probably the slow one)
 * @param gossipInterval          time between gossip rounds that send queued updates to {@code gossipNodes}
 *                                random members besides the piggyback on probes; zero disables them
 * @param gossipNodes             members each gossip round sends to
 * @param gossipToTheDeadTime     how long a dead member still receives gossip, so a member wrongly declared
 *                                dead can hear it and refute; also when dead members are forgotten
 * @param maxPacketSize           bytes of one UDP datagram on the wire, envelope included; 1400 stays under a
 *                                1500-byte Ethernet MTU with IP/UDP headers
 * @param streamTimeout           connect and read timeout of a TCP state exchange (push-pull, join)
 */
public record SwimConfig(
        Duration probeInterval,
        Duration probeTimeout,
        int indirectChecks,
        int suspicionMult,
        int suspicionMaxTimeoutMult,
        int retransmitMult,
        Duration pushPullInterval,
        int awarenessMaxMultiplier,
        Duration gossipInterval,
        int gossipNodes,
        Duration gossipToTheDeadTime,
        int maxPacketSize,
        Duration streamTimeout) {

    /** Smallest datagram that still carries a probe, its header, the envelope and some gossip. */
    public static final int MIN_PACKET_SIZE = 512;
    /** Largest UDP payload over IPv4. */
    public static final int MAX_PACKET_SIZE = 65_507;

    public SwimConfig {
        positive("probe_interval", probeInterval);
        positive("probe_timeout", probeTimeout);
        if (probeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("probe_timeout must be at least 1 ms (members keep time in "
                    + "milliseconds), got " + probeTimeout);
        }
        if (probeTimeout.multipliedBy(2).compareTo(probeInterval) > 0) {
            throw new IllegalArgumentException("probe_timeout (" + probeTimeout + ") must be at most half of probe_interval ("
                    + probeInterval + "): the indirect probes and their nacks need the second half of the period");
        }
        atLeast("indirect_checks", indirectChecks, 0);
        atLeast("suspicion_mult", suspicionMult, 1);
        atLeast("suspicion_max_timeout_mult", suspicionMaxTimeoutMult, 1);
        atLeast("retransmit_mult", retransmitMult, 1);
        notNegative("push_pull_interval", pushPullInterval);
        atLeast("awareness_max_multiplier", awarenessMaxMultiplier, 1);
        notNegative("gossip_interval", gossipInterval);
        atLeast("gossip_nodes", gossipNodes, 0);
        notNegative("gossip_to_the_dead_time", gossipToTheDeadTime);
        if (maxPacketSize < MIN_PACKET_SIZE || maxPacketSize > MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("max_packet_size must be between " + MIN_PACKET_SIZE + " and "
                    + MAX_PACKET_SIZE + " bytes, got " + maxPacketSize);
        }
        positive("stream_timeout", streamTimeout);
    }

    /** memberlist's {@code DefaultLANConfig}: members in one data centre. */
    public static SwimConfig lan() {
        return new SwimConfig(
                Duration.ofSeconds(1),          // failure check every second
                Duration.ofMillis(500),         // a reasonable round trip on a LAN
                3,                              // three peers for the indirect probe
                4,                              // suspect for 4 × log10(n) × interval
                6,                              // at most 6 × that: 72 s at 1,000 members
                4,                              // retransmit 4 × ceil(log10(n + 1)) times
                Duration.ofSeconds(30),         // full sync is expensive: rarely
                8,                              // probe interval backs off to 8 s on a sick member
                Duration.ofMillis(200),         // gossip faster than probes
                3,                              // to three members per round
                Duration.ofSeconds(30),         // same as push-pull
                1400,                           // fits an Ethernet frame
                Duration.ofSeconds(10));        // TCP state exchange
    }

    /**
     * Members on one machine (loopback): memberlist's {@code DefaultLocalConfig} with a five times
     * shorter protocol period, because loopback round trips are microseconds and tests should not wait.
     */
    public static SwimConfig local() {
        return new SwimConfig(
                Duration.ofMillis(200),         // probe five times a second: loopback is cheap
                Duration.ofMillis(80),          // loopback answers in well under a millisecond
                1,                              // one peer for the indirect probe: loss is rare on loopback
                3,                              // suspect for 3 × log10(n) × interval
                6,                              // at most 6 × that
                2,                              // retransmit 2 × ceil(log10(n + 1)) times
                Duration.ofSeconds(5),          // frequent full syncs are cheap among few members
                8,                              // same health back-off as on a LAN
                Duration.ofMillis(50),          // gossip four times per probe period
                3,                              // to three members per round
                Duration.ofSeconds(5),          // same as push-pull
                1400,                           // same datagram size as on a LAN
                Duration.ofSeconds(1));         // a local TCP exchange that takes a second has failed
    }

    public SwimConfig withProbe(Duration interval, Duration timeout) {
        return new SwimConfig(interval, timeout, indirectChecks, suspicionMult, suspicionMaxTimeoutMult, retransmitMult,
                pushPullInterval, awarenessMaxMultiplier, gossipInterval, gossipNodes, gossipToTheDeadTime,
                maxPacketSize, streamTimeout);
    }

    public SwimConfig withPushPullInterval(Duration interval) {
        return new SwimConfig(probeInterval, probeTimeout, indirectChecks, suspicionMult, suspicionMaxTimeoutMult,
                retransmitMult, interval, awarenessMaxMultiplier, gossipInterval, gossipNodes, gossipToTheDeadTime,
                maxPacketSize, streamTimeout);
    }

    public SwimConfig withGossip(Duration interval, int nodes) {
        return new SwimConfig(probeInterval, probeTimeout, indirectChecks, suspicionMult, suspicionMaxTimeoutMult,
                retransmitMult, pushPullInterval, awarenessMaxMultiplier, interval, nodes, gossipToTheDeadTime,
                maxPacketSize, streamTimeout);
    }

    public SwimConfig withIndirectChecks(int checks) {
        return new SwimConfig(probeInterval, probeTimeout, checks, suspicionMult, suspicionMaxTimeoutMult,
                retransmitMult, pushPullInterval, awarenessMaxMultiplier, gossipInterval, gossipNodes,
                gossipToTheDeadTime, maxPacketSize, streamTimeout);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isNegative()) throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
}
