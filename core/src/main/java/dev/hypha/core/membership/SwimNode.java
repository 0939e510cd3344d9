package dev.hypha.core.membership;

import dev.hypha.core.membership.SwimEvent.AddressConflict;
import dev.hypha.core.membership.SwimEvent.HealthChanged;
import dev.hypha.core.membership.SwimEvent.JoinCompleted;
import dev.hypha.core.membership.SwimEvent.JoinFailed;
import dev.hypha.core.membership.SwimEvent.Refuted;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * One member of a SWIM group with Lifeguard, as a deterministic state machine: no clock, no sockets,
 * no threads. The same code runs on UDP/TCP (the gossip module) and in the simulator (the testkit).
 *
 * <p>Inputs are {@link #step(Packet, Instant) packets}, {@link #step(StateExchange, Instant) state
 * exchanges}, {@link #tick(Instant) ticks} and the local member's own requests ({@link #join},
 * {@link #broadcast}, {@link #updateMetadata}, {@link #leave}); each returns a {@link Ready} with what
 * to send and what changed. The time is always passed in; randomness comes from the
 * {@link RandomGenerator} given at construction, so the same inputs give the same outputs.
 *
 * <p>The driver's loop, in order:
 * <ol>
 *   <li>feed every received datagram to {@link #step(Packet, Instant)} and every received exchange
 *       (a request, or the reply to one of its requests) to {@link #step(StateExchange, Instant)};</li>
 *   <li>call {@link #tick(Instant)} when the clock reaches {@link #nextTickAt()};</li>
 *   <li>after each call, send the Ready's packets, carry its streams (a failed one goes back through
 *       {@link #streamFailed(Stream, Instant)}), and hand changes and deliveries to listeners.</li>
 * </ol>
 *
 * <p>The protocol: each period the member probes the next member of a shuffled round-robin list with
 * a ping; without an ack within the probe timeout it asks {@code indirectChecks} random members to
 * ping it too (they answer with the ack or with a nack) and pings it once more itself; without any
 * ack by the end of the period it suspects the member. A suspicion becomes a death after a timeout that shrinks with independent
 * confirmations, unless the suspect refutes it by gossiping a higher incarnation; a suspect that is
 * probed is told of the suspicion in the ping itself (buddy system). Before declaring a suspect dead,
 * the member probes it once more, so that a refutation it happened to miss comes back in the ack.
 * Membership updates and user
 * broadcasts ride on every outgoing packet, each sent a limited number of times. A member that
 * misses acks and nacks concludes it is itself slow and stretches its probe period (local health).
 *
 * <p>Not thread-safe: one driver thread owns a node.
 */
public final class SwimNode {
    /** Largest encoded metadata map: it rides in every alive message and must leave room for gossip. */
    public static final int MAX_METADATA_BYTES = 512;
    /** Lifeguard: a relay nacks after this share of its probe timeout, so the nack beats the prober's deadline. */
    private static final double NACK_SHARE_OF_TIMEOUT = 0.8;

    private final SwimConfig config;
    private final String id;
    private final String address;
    private final RandomGenerator random;
    private final int packetBudget;
    private final int headerSize;
    private final long session;
    private final long probeIntervalMs;
    private final long probeTimeoutMs;
    private final long gossipIntervalMs;
    private final long pushPullIntervalMs;
    private final long gossipToTheDeadMs;
    private final long joinRetryMs;

    private long incarnation;
    private Map<String, String> metadata;
    private boolean leaving;
    private int health;

    private final HashMap<String, Peer> peers = new HashMap<>();
    private final ArrayList<Peer> ring = new ArrayList<>();
    private int ringIndex;
    private final LinkedHashMap<String, Peer> suspects = new LinkedHashMap<>();

    private long nextSeq;
    private Probe probe;
    private final LinkedHashMap<Long, Probe> lastChances = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Relay> relays = new LinkedHashMap<>();

    private final BroadcastQueue queue = new BroadcastQueue();
    private final HashMap<Origin, ReplayWindow> seen = new HashMap<>();
    private long broadcastSeq;

    private long nextProbeAt;
    private long nextGossipAt;
    private long nextPushPullAt;
    private long nextJoinAt = Long.MAX_VALUE;
    private List<String> seeds = List.of();

    private final Output out = new Output();

    /**
     * Starts a member that knows nobody yet; call {@link #join} with seed addresses to enter a group.
     *
     * @param id            unique name of the member in the group
     * @param address       where others reach it ("host:port"), opaque to the node
     * @param metadata      small key/value facts about the member (region, capacity, price, carbon, member)
     * @param envelopeBytes bytes the transport adds to every datagram (encryption), taken from the packet size
     * @param random        the only source of randomness
     * @param now           the current time
     */
    public SwimNode(String id, String address, Map<String, String> metadata, SwimConfig config, int envelopeBytes,
            RandomGenerator random, Instant now) {
        this.id = name("member id", id);
        this.address = name("address", address);
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.metadata = checkMetadata(metadata);
        if (envelopeBytes < 0) throw new IllegalArgumentException("envelope bytes must not be negative");
        this.packetBudget = config.maxPacketSize() - envelopeBytes;
        this.headerSize = SwimCodec.headerSize(id, address);
        int aliveSize = SwimCodec.encodedSize(new Alive(id, address, Long.MAX_VALUE, Map.of())) + MAX_METADATA_BYTES;
        if (headerSize + aliveSize + 16 > packetBudget) {
            throw new IllegalArgumentException("member id and address are too long for packets of " + packetBudget
                    + " bytes: an alive message with full metadata must fit in one packet");
        }
        this.session = random.nextLong();
        this.probeIntervalMs = config.probeInterval().toMillis();
        this.probeTimeoutMs = config.probeTimeout().toMillis();
        this.gossipIntervalMs = config.gossipInterval().toMillis();
        this.pushPullIntervalMs = config.pushPullInterval().toMillis();
        this.gossipToTheDeadMs = config.gossipToTheDeadTime().toMillis();
        this.joinRetryMs = pushPullIntervalMs > 0 ? pushPullIntervalMs : 30 * probeIntervalMs;
        long t = now.toEpochMilli();
        // Random phases, so that members started together do not probe and gossip in lockstep.
        this.nextProbeAt = t + random.nextLong(probeIntervalMs);
        this.nextGossipAt = gossipIntervalMs > 0 ? t + random.nextLong(gossipIntervalMs) : Long.MAX_VALUE;
        this.nextPushPullAt = pushPullIntervalMs > 0 ? t + pushPullIntervalMs + random.nextLong(pushPullIntervalMs)
                : Long.MAX_VALUE;
        // Announce ourselves to whoever we meet first.
        enqueue(selfAlive());
    }

    // ---- inputs ---------------------------------------------------------------------------------

    /** Asks each seed for a full state exchange; retried while no other member is known alive. */
    public Ready join(List<String> seedAddresses, Instant now) {
        seeds = seedAddresses.stream().filter(s -> !s.equals(address)).distinct().toList();
        nextJoinAt = seeds.isEmpty() ? Long.MAX_VALUE : now.toEpochMilli() + joinRetryMs;
        sendJoins();
        return out.drain();
    }

    /** Handles one received datagram. */
    public Ready step(Packet packet, Instant nowInstant) {
        long now = nowInstant.toEpochMilli();
        if (packet.sourceId().equals(id)) return out.drain();
        List<SwimMessage> replies = null;
        for (SwimMessage message : packet.messages()) {
            switch (message) {
                case Ping p -> {
                    // A ping for another member reached us (its address was reused): stay silent.
                    if (p.target().equals(id)) replies = add(replies, new Ack(p.seq()));
                }
                case IndirectPing p -> relay(p, packet.sourceAddress(), now);
                case Ack a -> onAck(a, now);
                case Nack n -> {
                    if (probe != null && probe.seq == n.seq()) probe.nacks++;
                }
                case Alive a -> onAlive(a, now, true);
                case Suspect s -> onSuspect(s, now, true);
                case Dead d -> onDead(d, now, true);
                case UserBroadcast b -> onUserBroadcast(b);
            }
        }
        // Acks go last, so they carry whatever this packet taught us (a refutation, say) as gossip.
        if (replies != null) send(packet.sourceAddress(), replies);
        return out.drain();
    }

    /** Handles a state exchange received over a stream: a request (answered in the Ready) or a reply. */
    public Ready step(StateExchange exchange, Instant nowInstant) {
        long now = nowInstant.toEpochMilli();
        if (exchange.fromId().equals(id)) return out.drain();
        switch (exchange.kind()) {
            case JOIN, PUSH_PULL -> {
                merge(exchange, now, true);
                out.stream(new Stream(exchange.fromAddress(), ownState(exchange.kind().reply())));
            }
            case PUSH_PULL_REPLY -> merge(exchange, now, true);
            case JOIN_REPLY -> {
                // What a seed tells a newcomer, it already gossips itself: learn it without re-gossiping
                // it, or every join would set off n updates from the joiner.
                merge(exchange, now, false);
                out.event(new JoinCompleted(exchange.fromAddress(), exchange.members().size()));
            }
        }
        return out.drain();
    }

    /** The driver could not carry {@code stream} (connection refused, timeout, rejected reply). */
    public Ready streamFailed(Stream stream, Instant now) {
        if (stream.exchange().kind() == StateExchange.Kind.JOIN) out.event(new JoinFailed(stream.destination()));
        return out.drain();
    }

    /** Runs the timers due at {@code now}: probes, relays, suspicions, gossip, push-pull, join retries. */
    public Ready tick(Instant nowInstant) {
        long now = nowInstant.toEpochMilli();
        // 1. The probe in flight: its indirect round, then its verdict; the same for last chances.
        if (probe != null && !probe.indirectSent && now >= probe.indirectAt) sendIndirectProbes(probe);
        if (probe != null && now >= probe.deadline) failProbe(now);
        if (!lastChances.isEmpty()) runLastChances(now);
        // 2. Probes relayed for others: nack when the target kept silent, forget them later.
        if (!relays.isEmpty()) expireRelays(now);
        // 3. Suspicions that ran out become deaths.
        if (!suspects.isEmpty()) expireSuspicions(now);
        // 4. The next probe, at the health-scaled period. A leaving member accuses nobody.
        if (!leaving && now >= nextProbeAt) startProbe(now);
        // 5. Gossip rounds, only when there is something to say.
        if (gossipEnabled() && !queue.isEmpty() && now >= nextGossipAt) {
            nextGossipAt = now + gossipIntervalMs;
            gossip(now);
        }
        // 6. Anti-entropy with one random live member.
        if (pushPullIntervalMs > 0 && now >= nextPushPullAt) {
            nextPushPullAt = now + SwimMath.pushPullInterval(config.pushPullInterval(), memberCount()).toMillis();
            if (!leaving) {
                List<Peer> partner = randomPeers(1, p -> p.state == NodeState.ALIVE);
                if (!partner.isEmpty()) {
                    out.stream(new Stream(partner.getFirst().address, ownState(StateExchange.Kind.PUSH_PULL)));
                }
            }
        }
        // 7. A member that knows nobody alive tries its seeds again.
        if (now >= nextJoinAt) {
            nextJoinAt = now + joinRetryMs;
            if (!leaving && !hasLivePeer()) sendJoins();
        }
        return out.drain();
    }

    /** Disseminates {@code payload} to every member on {@code channel}; it is also delivered locally. */
    public Ready broadcast(String channel, byte[] payload, Instant now) {
        name("channel", channel);
        UserBroadcast message = new UserBroadcast(id, session, broadcastSeq + 1, channel, payload);
        int size = SwimCodec.encodedSize(message);
        if (headerSize + size > packetBudget) {
            throw new IllegalArgumentException("broadcast of " + payload.length + " bytes on '" + channel
                    + "' does not fit in one packet of " + packetBudget + " bytes; at most "
                    + maxBroadcastPayload(channel) + " bytes fit");
        }
        broadcastSeq++;
        seenWindow(message).firstSighting(message.seq());
        queue.enqueue(broadcastKey(message), message, size);
        out.delivery(new Delivery(channel, id, payload.clone()));
        return out.drain();
    }

    /** Largest payload the next {@link #broadcast} on {@code channel} accepts. */
    public int maxBroadcastPayload(String channel) {
        int empty = SwimCodec.encodedSize(new UserBroadcast(id, session, broadcastSeq + 1, channel, new byte[0]));
        // An empty payload has a one-byte length prefix; the prefix grows with the payload.
        int room = packetBudget - headerSize - empty + 1;
        for (int payload = room - 1; payload > 0; payload--) {
            if (payload + WireWriter.varintSize(payload) <= room) return payload;
        }
        return 0;
    }

    /** Replaces the local metadata and gossips it with a higher incarnation. */
    public Ready updateMetadata(Map<String, String> newMetadata, Instant now) {
        Map<String, String> checked = checkMetadata(newMetadata);
        if (!checked.equals(metadata)) {
            metadata = checked;
            incarnation++;
            enqueue(selfAlive());
            out.change(new MemberChange(self(), selfState()));
        }
        return out.drain();
    }

    /**
     * Announces a graceful leave: gossips "dead, from itself" so others mark this member left rather
     * than failed, and stops probing. Keep ticking until {@link #leaveDisseminated()}.
     */
    public Ready leave(Instant now) {
        if (!leaving) {
            leaving = true;
            probe = null;
            enqueue(new Dead(id, incarnation, id));
            out.change(new MemberChange(self(), NodeState.ALIVE));
        }
        return out.drain();
    }

    // ---- views ----------------------------------------------------------------------------------

    /** When {@link #tick} next has work; may be in the past when work is already due. */
    public Instant nextTickAt() {
        long t = leaving ? Long.MAX_VALUE : nextProbeAt;
        if (probe != null) t = Math.min(t, probe.indirectSent ? probe.deadline : probe.indirectAt);
        for (Probe p : lastChances.values()) t = Math.min(t, p.indirectSent ? p.deadline : p.indirectAt);
        for (Relay r : relays.values()) t = Math.min(t, r.nacked ? r.expireAt : r.nackAt);
        for (Peer p : suspects.values()) {
            if (p.lastChance == null) t = Math.min(t, p.suspicion.deadline());
        }
        if (gossipEnabled() && !queue.isEmpty()) t = Math.min(t, nextGossipAt);
        t = Math.min(t, nextPushPullAt);
        t = Math.min(t, nextJoinAt);
        return Instant.ofEpochMilli(t);
    }

    /** True once the leave announcement has been sent as often as any update, or nobody is left to tell. */
    public boolean leaveDisseminated() {
        return leaving && (!queue.contains(memberKey(id)) || !hasLivePeer());
    }

    /** Every known member, the local one first; dead and left members until they are forgotten. */
    public List<MemberInfo> members() {
        List<MemberInfo> all = new ArrayList<>(peers.size() + 1);
        all.add(self());
        for (Peer p : peers.values()) all.add(p.info());
        return all;
    }

    /** The local member as others should see it. */
    public MemberInfo self() {
        return new MemberInfo(id, address, selfState(), incarnation, metadata);
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    public long incarnation() {
        return incarnation;
    }

    /** Lifeguard's local health score: 0 is healthy; timeouts scale by score + 1. */
    public int health() {
        return health;
    }

    /** Known members including the local one, the n of the protocol's formulas. */
    public int memberCount() {
        return peers.size() + 1;
    }

    /** Updates waiting to be piggybacked. */
    public int pendingBroadcasts() {
        return queue.size();
    }

    // ---- probing --------------------------------------------------------------------------------

    private void startProbe(long now) {
        long interval = scaled(probeIntervalMs);
        nextProbeAt = now + interval;
        Peer target = nextProbeTarget(now);
        if (target == null) return;
        long seq = ++nextSeq;
        probe = new Probe(target.id, target.incarnation, seq, now + scaled(probeTimeoutMs), now + interval);
        sendPing(target, seq);
    }

    private void sendPing(Peer target, long seq) {
        if (target.state == NodeState.SUSPECT) {
            // Buddy system: tell the suspect right away, so it can refute in its ack.
            send(target.address, List.of(new Ping(seq, target.id), new Suspect(target.id, target.incarnation, id)));
        } else {
            send(target.address, List.of(new Ping(seq, target.id)));
        }
    }

    private Peer nextProbeTarget(long now) {
        for (int checked = 0; checked <= ring.size(); checked++) {
            if (ringIndex >= ring.size()) {
                resetRing(now);
                if (ring.isEmpty()) return null;
            }
            Peer p = ring.get(ringIndex++);
            if (p.state == NodeState.ALIVE || p.state == NodeState.SUSPECT) return p;
        }
        return null;
    }

    /** At the end of a round: forget members dead or left for long, shuffle the rest (SWIM's round-robin). */
    private void resetRing(long now) {
        ringIndex = 0;
        ring.removeIf(p -> {
            boolean gone = (p.state == NodeState.DEAD || p.state == NodeState.LEFT)
                    && now - p.changedAt > gossipToTheDeadMs;
            if (gone) peers.remove(p.id);
            return gone;
        });
        for (int i = ring.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Peer tmp = ring.get(i);
            ring.set(i, ring.get(j));
            ring.set(j, tmp);
        }
    }

    private void sendIndirectProbes(Probe inFlight) {
        inFlight.indirectSent = true;
        Peer target = peers.get(inFlight.target);
        if (target == null) return;
        List<Peer> helpers = randomPeers(config.indirectChecks(), p -> p.state == NodeState.ALIVE && p != target);
        inFlight.expectedNacks = helpers.size();
        for (Peer helper : helpers) {
            send(helper.address, List.of(new IndirectPing(inFlight.seq, target.id, target.address)));
        }
        // A second direct ping under the same sequence number: memberlist tries the target over TCP at
        // this point; over datagrams, one more try makes a probe lost to one dropped packet much rarer.
        sendPing(target, inFlight.seq);
    }

    private void failProbe(long now) {
        Probe failed = probe;
        probe = null;
        // Lifeguard: missing nacks mean our own messages are not getting through. With nobody to ask,
        // any failed probe counts against us.
        int delta = failed.expectedNacks > 0 ? Math.max(0, failed.expectedNacks - failed.nacks) : 1;
        adjustHealth(delta);
        onSuspect(new Suspect(failed.target, failed.incarnation, id), now, true);
    }

    private void onAck(Ack ack, long now) {
        if (probe != null && probe.seq == ack.seq()) {
            probe = null;
            adjustHealth(-1);
            return;
        }
        Probe lastChance = lastChances.remove(ack.seq());
        if (lastChance != null) {
            // It answers, so it is not dead; its refutation is on its way (our ping told it of the
            // suspicion). Until it arrives the suspicion stands, on a fresh timer.
            Peer p = peers.get(lastChance.target);
            if (p != null && p.lastChance == lastChance) {
                p.lastChance = null;
                p.suspicion = p.suspicion.restartedAt(now);
            }
            return;
        }
        Relay relay = relays.remove(ack.seq());
        if (relay != null) send(relay.requester, List.of(new Ack(relay.requesterSeq)));
    }

    private void relay(IndirectPing request, String requester, long now) {
        long seq = ++nextSeq;
        long timeout = scaled(probeTimeoutMs);
        relays.put(seq, new Relay(request.seq(), requester, now + (long) (timeout * NACK_SHARE_OF_TIMEOUT),
                now + timeout));
        send(request.targetAddress(), List.of(new Ping(seq, request.target())));
    }

    private void expireRelays(long now) {
        Iterator<Relay> it = relays.values().iterator();
        while (it.hasNext()) {
            Relay r = it.next();
            if (!r.nacked && now >= r.nackAt) {
                r.nacked = true;
                send(r.requester, List.of(new Nack(r.requesterSeq)));
            }
            if (now >= r.expireAt) it.remove();
        }
    }

    /**
     * A suspicion that ran out is not a death yet: the suspect may have refuted and its alive message
     * missed us (at 1,000 members and 10 % loss that happens to someone every few hundred periods).
     * One more probe, with the suspicion attached, brings the refutation back in the ack.
     */
    private void expireSuspicions(long now) {
        for (Peer p : suspects.values()) {
            if (p.lastChance != null || now < p.suspicion.deadline()) continue;
            long seq = ++nextSeq;
            p.lastChance = new Probe(p.id, p.incarnation, seq, now + scaled(probeTimeoutMs),
                    now + scaled(probeIntervalMs));
            lastChances.put(seq, p.lastChance);
            sendPing(p, seq);
        }
    }

    /** Indirect rounds and verdicts of last-chance probes: no answer at all is a death. */
    private void runLastChances(long now) {
        List<Probe> failed = null;
        for (Probe lc : lastChances.values()) {
            if (!lc.indirectSent && now >= lc.indirectAt) sendIndirectProbes(lc);
            if (now >= lc.deadline) failed = add(failed, lc);
        }
        if (failed == null) return;
        for (Probe lc : failed) {
            lastChances.remove(lc.seq);
            onDead(new Dead(lc.target, lc.incarnation, id), now, true);
        }
    }

    // ---- membership updates (memberlist's aliveNode, suspectNode, deadNode) -----------------------

    private void onAlive(Alive alive, long now, boolean regossip) {
        if (alive.member().equals(id)) {
            // Someone speaks for us: same incarnation and content is just our own news coming back;
            // anything newer or different (a stale view from before a restart) is refuted.
            if (leaving || alive.incarnation() < incarnation) return;
            if (alive.incarnation() == incarnation && alive.address().equals(address)
                    && alive.metadata().equals(metadata)) {
                return;
            }
            refute(alive.incarnation());
            return;
        }
        Peer p = peers.get(alive.member());
        if (p == null) {
            p = new Peer(alive.member(), alive.address(), alive.incarnation(), alive.metadata(), now);
            peers.put(p.id, p);
            insertIntoRing(p);
            if (regossip) enqueue(alive);
            out.change(new MemberChange(p.info(), null));
            return;
        }
        boolean returning = p.state == NodeState.DEAD || p.state == NodeState.LEFT;
        if (!p.address.equals(alive.address())) {
            // A live member does not move: two processes claim one name. A dead or left one may
            // come back elsewhere.
            if (!returning) {
                out.event(new AddressConflict(p.id, p.address, alive.address()));
                return;
            }
        } else if (alive.incarnation() <= p.incarnation) {
            return;
        }
        NodeState previous = p.state;
        boolean metadataChanged = !p.metadata.equals(alive.metadata());
        clearSuspicion(p);
        p.incarnation = alive.incarnation();
        p.address = alive.address();
        p.metadata = alive.metadata();
        if (p.state != NodeState.ALIVE) {
            p.state = NodeState.ALIVE;
            p.changedAt = now;
        }
        if (regossip) enqueue(alive);
        if (previous != NodeState.ALIVE || metadataChanged) out.change(new MemberChange(p.info(), previous));
    }

    private void onSuspect(Suspect suspect, long now, boolean regossip) {
        if (suspect.member().equals(id)) {
            if (!leaving) answerAccusation(suspect.incarnation());
            return;
        }
        Peer p = peers.get(suspect.member());
        if (p == null || suspect.incarnation() < p.incarnation) return;
        if (p.suspicion != null) {
            // Another member's independent suspicion shortens ours; pass it on so others count it too.
            if (p.suspicion.confirm(suspect.from()) && regossip) enqueue(suspect);
            return;
        }
        if (p.state != NodeState.ALIVE) return;
        NodeState previous = p.state;
        p.incarnation = suspect.incarnation();
        p.state = NodeState.SUSPECT;
        p.changedAt = now;
        int n = memberCount();
        Duration min = SwimMath.suspicionTimeout(config.suspicionMult(), n, config.probeInterval());
        Duration max = min.multipliedBy(config.suspicionMaxTimeoutMult());
        p.suspicion = new Suspicion(suspect.from(), SwimMath.expectedConfirmations(config.suspicionMult(), n), min,
                max, now);
        suspects.put(p.id, p);
        if (regossip) enqueue(suspect);
        out.change(new MemberChange(p.info(), previous));
    }

    private void onDead(Dead dead, long now, boolean regossip) {
        if (dead.member().equals(id)) {
            // Our own leave coming back is expected; anything else is a false accusation.
            if (!leaving) answerAccusation(dead.incarnation());
            return;
        }
        Peer p = peers.get(dead.member());
        if (p == null || dead.incarnation() < p.incarnation) return;
        if (p.state == NodeState.DEAD || p.state == NodeState.LEFT) return;
        NodeState previous = p.state;
        clearSuspicion(p);
        p.incarnation = dead.incarnation();
        p.state = dead.isLeave() ? NodeState.LEFT : NodeState.DEAD;
        p.changedAt = now;
        if (regossip) enqueue(dead);
        out.change(new MemberChange(p.info(), previous));
    }

    /**
     * Someone says we are suspect or dead. At our current incarnation or above: refute. Below it, the
     * accuser missed our refutation (it may have been lost): announce the current incarnation again,
     * unless it is still queued. memberlist ignores such stale accusations and leaves the repair to
     * push-pull, which can come after the suspicion has run out.
     */
    private void answerAccusation(long accused) {
        if (accused >= incarnation) {
            refute(accused);
        } else if (!queue.contains(memberKey(id))) {
            enqueue(selfAlive());
        }
    }

    private void refute(long accused) {
        incarnation = Math.max(incarnation + 1, accused + 1);
        // Lifeguard: being accused suggests we are slow to answer.
        adjustHealth(1);
        enqueue(selfAlive());
        out.event(new Refuted(incarnation));
    }

    /**
     * Anti-entropy: folds another member's full view into ours. A member it calls dead only becomes
     * suspect here (it may be our view that is right), and views that agree are skipped so a
     * push-pull never counts as a suspicion's confirmation.
     */
    private void merge(StateExchange exchange, long now, boolean regossip) {
        for (MemberInfo m : exchange.members()) {
            Peer known = peers.get(m.id());
            if (known != null && known.state == m.state()
                    && (m.state() != NodeState.ALIVE || m.incarnation() <= known.incarnation)) {
                continue;
            }
            switch (m.state()) {
                case ALIVE -> onAlive(new Alive(m.id(), m.address(), m.incarnation(), m.metadata()), now, regossip);
                case LEFT -> onDead(new Dead(m.id(), m.incarnation(), m.id()), now, regossip);
                case SUSPECT, DEAD -> onSuspect(new Suspect(m.id(), m.incarnation(), exchange.fromId()), now, regossip);
            }
        }
    }

    // ---- dissemination --------------------------------------------------------------------------

    private void onUserBroadcast(UserBroadcast message) {
        if (!seenWindow(message).firstSighting(message.seq())) return;
        queue.enqueue(broadcastKey(message), message, SwimCodec.encodedSize(message));
        out.delivery(new Delivery(message.channel(), message.origin(), message.payload()));
    }

    private void gossip(long now) {
        List<Peer> targets = randomPeers(config.gossipNodes(), p -> p.state == NodeState.ALIVE
                || p.state == NodeState.SUSPECT
                // Gossip to the recently dead: a member declared dead by mistake hears it and refutes.
                || (p.state == NodeState.DEAD && now - p.changedAt <= gossipToTheDeadMs));
        for (Peer target : targets) {
            List<SwimMessage> messages = queue.take(packetBudget - headerSize, retransmitLimit());
            if (messages.isEmpty()) return;
            out.packet(new Packet(id, address, target.address, messages));
        }
    }

    /** Sends {@code base} to {@code destination} with as much queued gossip as fits the packet. */
    private void send(String destination, List<SwimMessage> base) {
        int size = headerSize;
        for (SwimMessage m : base) size += SwimCodec.encodedSize(m);
        List<SwimMessage> gossip = queue.take(packetBudget - size, retransmitLimit());
        List<SwimMessage> messages;
        if (gossip.isEmpty()) {
            messages = base;
        } else {
            messages = new ArrayList<>(base.size() + gossip.size());
            messages.addAll(base);
            messages.addAll(gossip);
        }
        out.packet(new Packet(id, address, destination, messages));
    }

    private void enqueue(SwimMessage update) {
        String member = switch (update) {
            case Alive a -> a.member();
            case Suspect s -> s.member();
            case Dead d -> d.member();
            default -> throw new IllegalArgumentException("not a membership update: " + update);
        };
        queue.enqueue(memberKey(member), update, SwimCodec.encodedSize(update));
    }

    private int retransmitLimit() {
        return SwimMath.retransmitLimit(config.retransmitMult(), memberCount());
    }

    private void sendJoins() {
        for (String seed : seeds) out.stream(new Stream(seed, ownState(StateExchange.Kind.JOIN)));
    }

    private StateExchange ownState(StateExchange.Kind kind) {
        return new StateExchange(kind, id, address, members());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void adjustHealth(int delta) {
        int next = SwimMath.applyHealthDelta(health, delta, config.awarenessMaxMultiplier());
        if (next != health) {
            health = next;
            out.event(new HealthChanged(next));
        }
    }

    private long scaled(long millis) {
        return millis * (health + 1L);
    }

    private boolean gossipEnabled() {
        return gossipIntervalMs > 0 && config.gossipNodes() > 0;
    }

    private boolean hasLivePeer() {
        for (Peer p : peers.values()) {
            if (p.state == NodeState.ALIVE || p.state == NodeState.SUSPECT) return true;
        }
        return false;
    }

    private void clearSuspicion(Peer p) {
        if (p.suspicion != null) {
            p.suspicion = null;
            suspects.remove(p.id);
        }
        if (p.lastChance != null) {
            lastChances.remove(p.lastChance.seq);
            p.lastChance = null;
        }
    }

    /** New members go to a random place in the probe order, so a newcomer is not probed last by everyone. */
    private void insertIntoRing(Peer p) {
        int n = ring.size();
        ring.add(p);
        int offset = random.nextInt(n + 1);
        ring.set(n, ring.get(offset));
        ring.set(offset, p);
    }

    private List<Peer> randomPeers(int k, Predicate<Peer> eligible) {
        int n = ring.size();
        if (k <= 0 || n == 0) return List.of();
        List<Peer> chosen = new ArrayList<>(k);
        if (n <= 8 * k) {
            // Few members: an exact sample of the eligible ones.
            List<Peer> candidates = new ArrayList<>(n);
            for (Peer p : ring) if (eligible.test(p)) candidates.add(p);
            for (int i = 0; i < k && i < candidates.size(); i++) {
                int j = i + random.nextInt(candidates.size() - i);
                Peer tmp = candidates.get(i);
                candidates.set(i, candidates.get(j));
                candidates.set(j, tmp);
                chosen.add(candidates.get(i));
            }
            return chosen;
        }
        for (int attempts = 0; attempts < 3 * n && chosen.size() < k; attempts++) {
            Peer p = ring.get(random.nextInt(n));
            if (eligible.test(p) && !chosen.contains(p)) chosen.add(p);
        }
        return chosen;
    }

    private Alive selfAlive() {
        return new Alive(id, address, incarnation, metadata);
    }

    private NodeState selfState() {
        return leaving ? NodeState.LEFT : NodeState.ALIVE;
    }

    private ReplayWindow seenWindow(UserBroadcast message) {
        return seen.computeIfAbsent(new Origin(message.origin(), message.session()), o -> new ReplayWindow());
    }

    private static String memberKey(String member) {
        return "m" + member;
    }

    private static String broadcastKey(UserBroadcast b) {
        return "b" + b.origin() + '\u0000' + b.session() + '\u0000' + b.seq();
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> l = list == null ? new ArrayList<>(2) : list;
        l.add(item);
        return l;
    }

    private static String name(String what, String value) {
        Objects.requireNonNull(value, what + " is required");
        if (value.isBlank()) throw new IllegalArgumentException(what + " must not be blank");
        if (WireWriter.utf8Length(value) > SwimCodec.MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " must be at most " + SwimCodec.MAX_NAME_BYTES
                    + " bytes of UTF-8: " + value);
        }
        return value;
    }

    private static Map<String, String> checkMetadata(Map<String, String> metadata) {
        Map<String, String> copy = Map.copyOf(metadata);
        if (copy.size() > SwimCodec.MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata has " + copy.size() + " entries, at most "
                    + SwimCodec.MAX_METADATA_ENTRIES + " are allowed");
        }
        int size = SwimCodec.metadataSize(copy);
        if (size > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata takes " + size + " bytes encoded, at most "
                    + MAX_METADATA_BYTES + " fit in an alive message");
        }
        return copy;
    }

    // ---- state records --------------------------------------------------------------------------

    /** The local view of one other member. */
    private static final class Peer {
        final String id;
        String address;
        NodeState state = NodeState.ALIVE;
        long incarnation;
        Map<String, String> metadata;
        long changedAt;
        Suspicion suspicion;
        /** The probe that decides whether an expired suspicion becomes a death. */
        Probe lastChance;

        Peer(String id, String address, long incarnation, Map<String, String> metadata, long now) {
            this.id = id;
            this.address = address;
            this.incarnation = incarnation;
            this.metadata = metadata;
            this.changedAt = now;
        }

        MemberInfo info() {
            return new MemberInfo(id, address, state, incarnation, metadata);
        }
    }

    /** A probe in flight: the periodic one (at most one), or the last chance of an expired suspicion. */
    private static final class Probe {
        final String target;
        final long incarnation;
        final long seq;
        final long indirectAt;
        final long deadline;
        boolean indirectSent;
        int expectedNacks;
        int nacks;

        Probe(String target, long incarnation, long seq, long indirectAt, long deadline) {
            this.target = target;
            this.incarnation = incarnation;
            this.seq = seq;
            this.indirectAt = indirectAt;
            this.deadline = deadline;
        }
    }

    /** A ping sent on another member's behalf. */
    private static final class Relay {
        final long requesterSeq;
        final String requester;
        final long nackAt;
        final long expireAt;
        boolean nacked;

        Relay(long requesterSeq, String requester, long nackAt, long expireAt) {
            this.requesterSeq = requesterSeq;
            this.requester = requester;
            this.nackAt = nackAt;
            this.expireAt = expireAt;
        }
    }

    private record Origin(String member, long session) {}

    /** Collects one call's outputs; lists are created only when used. */
    private static final class Output {
        private List<Packet> packets;
        private List<Stream> streams;
        private List<MemberChange> changes;
        private List<SwimEvent> events;
        private List<Delivery> deliveries;

        void packet(Packet p) {
            packets = add(packets, p);
        }

        void stream(Stream s) {
            streams = add(streams, s);
        }

        void change(MemberChange c) {
            changes = add(changes, c);
        }

        void event(SwimEvent e) {
            events = add(events, e);
        }

        void delivery(Delivery d) {
            deliveries = add(deliveries, d);
        }

        Ready drain() {
            if (packets == null && streams == null && changes == null && events == null && deliveries == null) {
                return Ready.EMPTY;
            }
            Ready ready = new Ready(orEmpty(packets), orEmpty(streams), orEmpty(changes), orEmpty(events),
                    orEmpty(deliveries));
            packets = null;
            streams = null;
            changes = null;
            events = null;
            deliveries = null;
            return ready;
        }

        private static <T> List<T> orEmpty(List<T> list) {
            return list == null ? List.of() : list;
        }
    }
}
