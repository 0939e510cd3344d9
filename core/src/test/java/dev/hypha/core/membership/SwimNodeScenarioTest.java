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
import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Scenarios of the SWIM state machine, a few members at a time, on instant, lossless delivery. */
class SwimNodeScenarioTest {
    private static final SwimConfig LAN = SwimConfig.lan();
    private static final NodeState ALIVE = NodeState.ALIVE;
    private static final NodeState SUSPECT = NodeState.SUSPECT;
    private static final NodeState DEAD = NodeState.DEAD;
    private static final NodeState LEFT = NodeState.LEFT;

    @Test
    void everyPingIsAnsweredByAnAckAndNobodyIsSuspected() {
        TestCluster c = new TestCluster(LAN, 1, "a", "b").joined();
        c.run(Duration.ofSeconds(10));

        List<Ping> pings = messages(c, "a", "b", Ping.class);
        assertThat(pings).hasSizeBetween(9, 11);
        List<Long> acked = messages(c, "b", "a", Ack.class).stream().map(Ack::seq).toList();
        assertThat(pings).allSatisfy(p -> assertThat(acked).contains(p.seq()));
        assertThat(messages(c, "a", "b", IndirectPing.class)).isEmpty();
        assertThat(c.state("a", "b")).isEqualTo(ALIVE);
        assertThat(c.node("a").health()).isZero();
        assertThat(c.changes.get("a")).noneMatch(ch -> ch.member().state() != ALIVE);
    }

    @Test
    void aMemberUnreachableDirectlyIsReachedThroughAnIndirectProbe() {
        TestCluster c = new TestCluster(LAN, 2, "a", "b", "c").joined();
        c.block("a", "b");
        c.block("b", "a");
        c.run(Duration.ofSeconds(20));

        // a asked c, c pinged b, b acked c, and c relayed the ack to a under a's sequence number.
        List<IndirectPing> requests = messages(c, "a", "c", IndirectPing.class);
        assertThat(requests).isNotEmpty().allMatch(r -> r.target().equals("b"));
        List<Long> relayed = messages(c, "c", "a", Ack.class).stream().map(Ack::seq).toList();
        assertThat(requests).allSatisfy(r -> assertThat(relayed).contains(r.seq()));
        assertThat(messages(c, "c", "a", Nack.class)).isEmpty();
        assertThat(c.changes.get("a")).noneMatch(ch -> ch.member().id().equals("b") && ch.member().state() != ALIVE);
        assertThat(c.node("a").health()).isZero();
    }

    @Test
    void aSuspectedMemberRefutesWithAHigherIncarnation() {
        TestCluster c = new TestCluster(LAN.withPushPullInterval(Duration.ZERO), 3, "a", "b", "c").joined();
        c.block("b", "a");
        c.block("b", "c");
        assertThat(c.runUntil(() -> c.state("a", "b") == SUSPECT || c.state("c", "b") == SUSPECT,
                Duration.ofSeconds(10))).isTrue();
        c.unblock("b", "a");
        c.unblock("b", "c");
        assertThat(c.runUntil(() -> c.everyoneSees("b", ALIVE, "a", "c") && c.view("a", "b").incarnation() > 0
                && c.view("c", "b").incarnation() > 0, Duration.ofSeconds(10))).isTrue();

        assertThat(c.node("b").incarnation()).isEqualTo(1);
        assertThat(c.events.get("b")).contains(new SwimEvent.Refuted(1));
        c.run(Duration.ofSeconds(30));
        assertThat(c.everyoneSees("b", ALIVE, "a", "c")).isTrue();
        assertThat(c.changes.get("a")).noneMatch(ch -> ch.member().id().equals("b") && ch.member().state() == DEAD);
    }

    @Test
    void aSuspectThatCannotRefuteIsDeclaredDeadAfterTheSuspicionTimeout() {
        TestCluster c = new TestCluster(LAN, 4, "a", "b", "c").joined();
        c.run(Duration.ofSeconds(3));
        c.crash("c");
        assertThat(c.runUntil(() -> c.everyoneSees("c", DEAD, "a", "b"), Duration.ofSeconds(30))).isTrue();

        for (String observer : List.of("a", "b")) {
            List<MemberChange> aboutC = c.changes.get(observer).stream()
                    .filter(ch -> ch.member().id().equals("c") && ch.previous() != null).toList();
            assertThat(aboutC).extracting(ch -> ch.member().state()).containsExactly(SUSPECT, DEAD);
        }
        // With three members nobody else can confirm, so the timeout is the minimum: 4 × 1 × 1 s.
        assertThat(c.sent).flatExtracting(Packet::messages)
                .anyMatch(m -> m instanceof Dead d && d.member().equals("c") && !d.isLeave());
    }

    @Test
    void aSuspicionRunsAtLeastTheMinimumTimeoutThenALastProbeDecides() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        a.step(new Packet("b", "b:1", "a:1", List.of(new Alive("b", "b:1", 0, Map.of()),
                new Alive("c", "c:1", 0, Map.of()), new Suspect("b", 0, "c"))), t0);
        Duration min = SwimMath.suspicionTimeout(4, 3, LAN.probeInterval());
        assertThat(min).isEqualTo(Duration.ofSeconds(4));
        // Three members: nobody else can confirm, so the timeout is the minimum.
        expiresAt(a, "b", t0.plus(min));
        Ready ready = a.tick(t0.plus(min).plus(LAN.probeInterval()));
        assertThat(state(a, "b")).isEqualTo(DEAD);
        assertThat(ready.changes()).extracting(ch -> ch.member().id(), ch -> ch.previous())
                .contains(org.assertj.core.groups.Tuple.tuple("b", SUSPECT));
    }

    @Test
    void aRefutationInTheLastProbesAckSavesTheSuspect() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = fiveKnownMembers(t0);
        a.step(new Packet("c", "c:1", "a:1", List.of(new Suspect("f", 0, "c"))), t0);
        long seq = expiresAt(a, "f", t0.plusSeconds(24));
        a.step(new Packet("f", "f:1", "a:1", List.of(new Ack(seq), new Alive("f", "f:1", 1, Map.of()))),
                t0.plusMillis(24_010));
        assertThat(a.members()).filteredOn(m -> m.id().equals("f")).singleElement()
                .satisfies(f -> assertThat(f.state()).isEqualTo(ALIVE))
                .satisfies(f -> assertThat(f.incarnation()).isEqualTo(1));
    }

    @Test
    void anAckWithoutRefutationPutsTheSuspicionOnAFreshTimer() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = fiveKnownMembers(t0);
        a.step(new Packet("c", "c:1", "a:1", List.of(new Suspect("f", 0, "c"))), t0);
        long seq = expiresAt(a, "f", t0.plusSeconds(24));
        a.step(new Packet("f", "f:1", "a:1", List.of(new Ack(seq))), t0.plusMillis(24_010));
        a.tick(t0.plusSeconds(26));
        assertThat(state(a, "f")).isEqualTo(SUSPECT);
        expiresAt(a, "f", t0.plusMillis(48_010));
    }

    /**
     * Checks that {@code subject}'s suspicion at {@code node} runs out exactly at {@code at}: still
     * suspect just before, and at {@code at} a last probe carrying the suspicion goes out. Returns
     * that probe's sequence number.
     */
    private static long expiresAt(SwimNode node, String subject, java.time.Instant at) {
        node.tick(at.minusMillis(1));
        assertThat(state(node, subject)).isEqualTo(SUSPECT);
        Ready ready = node.tick(at);
        assertThat(state(node, subject)).isEqualTo(SUSPECT);
        List<Packet> lastProbes = ready.packets().stream()
                .filter(p -> p.destination().equals(subject + ":1"))
                .filter(p -> p.messages().stream().anyMatch(m -> m instanceof Suspect s && s.member().equals(subject)))
                .toList();
        assertThat(lastProbes).as("last probe of %s at %s", subject, at).hasSize(1);
        return lastProbes.getFirst().messages().stream().filter(Ping.class::isInstance).map(Ping.class::cast)
                .findFirst().orElseThrow().seq();
    }

    @Test
    void independentConfirmationsShortenASuspicion() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode alone = fiveKnownMembers(t0);
        SwimNode confirmed = fiveKnownMembers(t0);
        for (SwimNode a : List.of(alone, confirmed)) {
            a.step(new Packet("c", "c:1", "a:1", List.of(new Suspect("f", 0, "c"))), t0);
        }
        // A second report from d counts once; c's own report again counts not at all.
        confirmed.step(new Packet("d", "d:1", "a:1", List.of(new Suspect("f", 0, "d"))), t0.plusSeconds(1));
        confirmed.step(new Packet("d", "d:1", "a:1", List.of(new Suspect("f", 0, "d"))), t0.plusSeconds(1));
        confirmed.step(new Packet("e", "e:1", "a:1", List.of(new Suspect("f", 0, "c"))), t0.plusSeconds(1));

        // n = 6: minimum 4 s, maximum 24 s, two confirmations expected.
        expiresAt(alone, "f", t0.plusMillis(24_000));
        // One confirmation: 24 − 20 × ln 2 / ln 3 s.
        expiresAt(confirmed, "f", t0.plusMillis(11_381));
        for (SwimNode a : List.of(alone, confirmed)) {
            a.tick(t0.plusMillis(25_000));
            assertThat(state(a, "f")).as("no answer to the last probe").isEqualTo(DEAD);
        }
    }

    private static SwimNode fiveKnownMembers(java.time.Instant t0) {
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        List<SwimMessage> alive = new java.util.ArrayList<>();
        for (String id : List.of("b", "c", "d", "e", "f")) alive.add(new Alive(id, id + ":1", 0, Map.of()));
        a.step(new Packet("b", "b:1", "a:1", alive), t0);
        return a;
    }

    @Test
    void aProbeOfASuspectTellsItItIsSuspected() {
        TestCluster c = new TestCluster(LAN.withPushPullInterval(Duration.ZERO), 5, "a", "b", "c").joined();
        c.block("b", "a");
        c.block("b", "c");
        assertThat(c.runUntil(() -> c.state("a", "b") == SUSPECT, Duration.ofSeconds(10))).isTrue();
        int before = c.sent.size();
        c.run(Duration.ofSeconds(3));
        // Pings a relays for c carry no accusation of its own; a's own probes of b do.
        List<Packet> pingsToB = c.sent.subList(before, c.sent.size()).stream()
                .filter(p -> p.sourceId().equals("a") && p.destination().equals("b:7946"))
                .filter(p -> p.messages().stream().anyMatch(m -> m instanceof Ping ping && ping.target().equals("b")))
                .toList();
        assertThat(pingsToB).isNotEmpty().anyMatch(p -> p.messages().stream()
                .anyMatch(m -> m instanceof Suspect s && s.member().equals("b") && s.from().equals("a")));
    }

    @Test
    void aMemberThatLeavesIsSeenAsLeftNotDead() {
        TestCluster c = new TestCluster(LAN, 6, "a", "b", "c").joined();
        c.run(Duration.ofSeconds(2));
        c.absorb("b", c.node("b").leave(c.now()));
        assertThat(c.node("b").leaveDisseminated()).isFalse();
        assertThat(c.runUntil(() -> c.node("b").leaveDisseminated(), Duration.ofSeconds(5))).isTrue();
        assertThat(c.everyoneSees("b", LEFT, "a", "c")).isTrue();
        assertThat(c.node("b").self().state()).isEqualTo(LEFT);

        c.crash("b");
        c.run(Duration.ofSeconds(30));
        assertThat(c.everyoneSees("b", LEFT, "a", "c") || c.view("a", "b") == null).isTrue();
        assertThat(c.changes.get("a")).noneMatch(ch -> ch.member().id().equals("b") && ch.member().state() == DEAD);
    }

    @Test
    void deadAndLeftMembersAreForgottenAfterGossipToTheDeadTime() {
        TestCluster c = new TestCluster(LAN, 7, "a", "b", "c").joined();
        c.absorb("c", c.node("c").leave(c.now()));
        c.run(Duration.ofSeconds(1));
        c.crash("c");
        assertThat(c.state("a", "c")).isEqualTo(LEFT);
        c.run(LAN.gossipToTheDeadTime().plusSeconds(5));
        assertThat(c.view("a", "c")).isNull();
        assertThat(c.node("a").memberCount()).isEqualTo(2);
    }

    @Test
    void newMetadataTravelsWithAHigherIncarnation() {
        TestCluster c = new TestCluster(LAN, 8, "a", "b", "c").joined();
        c.run(Duration.ofSeconds(2));
        Map<String, String> metadata = Map.of("region", "eu-west", "price", "0.12", "carbon", "120");
        c.absorb("b", c.node("b").updateMetadata(metadata, c.now()));
        assertThat(c.runUntil(() -> metadata.equals(c.view("a", "b").metadata())
                && metadata.equals(c.view("c", "b").metadata()), Duration.ofSeconds(5))).isTrue();
        assertThat(c.view("a", "b").incarnation()).isEqualTo(1);
        assertThat(c.changes.get("a")).anyMatch(ch -> ch.member().id().equals("b") && ch.isUpdate());
    }

    @Test
    void aBroadcastIsDeliveredOnceToEveryMember() {
        TestCluster c = new TestCluster(LAN, 9, "a", "b", "c", "d", "e").joined();
        c.run(Duration.ofSeconds(2));
        c.absorb("c", c.node("c").broadcast("reputation", "obs-1".getBytes(), c.now()));
        c.run(Duration.ofSeconds(10));
        for (String id : c.nodes.keySet()) {
            assertThat(c.deliveries.get(id)).as("deliveries at %s", id)
                    .containsExactly(new Delivery("reputation", "c", "obs-1".getBytes()));
        }
    }

    @Test
    void aBroadcastTooLargeForOnePacketIsRefusedWithTheLimit() {
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), java.time.Instant.EPOCH);
        int max = a.maxBroadcastPayload("ch");
        a.broadcast("ch", new byte[max], java.time.Instant.EPOCH);
        assertThatThrownBy(() -> a.broadcast("ch", new byte[max + 1], java.time.Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + max + " bytes fit");
    }

    @Test
    void aRefusedBroadcastUsesNoSequenceNumber() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        assertThatThrownBy(() -> a.broadcast("ch", new byte[5000], t0)).isInstanceOf(IllegalArgumentException.class);
        a.broadcast("ch", new byte[] {7}, t0);
        Ready ready = a.step(new Packet("b", "b:1", "a:1", List.of(new Ping(1, "a"))), t0);
        assertThat(ready.packets()).singleElement().satisfies(p -> assertThat(p.messages())
                .anyMatch(m -> m instanceof SwimMessage.UserBroadcast b && b.seq() == 1));
    }

    @Test
    void aFailedProbeWithNackingHelpersDoesNotHurtLocalHealth() {
        TestCluster c = new TestCluster(LAN, 10, "a", "b", "c", "d").joined();
        c.run(Duration.ofSeconds(2));
        c.crash("d");
        assertThat(c.runUntil(() -> c.everyoneSees("d", DEAD, "a", "b", "c"), Duration.ofSeconds(40))).isTrue();
        assertThat(c.sent).anyMatch(p -> p.messages().stream().anyMatch(Nack.class::isInstance));
        for (String id : List.of("a", "b", "c")) {
            assertThat(c.events.get(id)).as("health events at %s", id)
                    .noneMatch(e -> e instanceof SwimEvent.HealthChanged h && h.score() > 0);
        }
    }

    @Test
    void aMemberThatHearsNothingBackConcludesItIsUnhealthyAndProbesSlower() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = fiveKnownMembers(t0);
        List<Long> probeStarts = new java.util.ArrayList<>();
        List<Long> probes = new java.util.ArrayList<>();
        while (a.nextTickAt().isBefore(t0.plusSeconds(22))) {
            java.time.Instant now = a.nextTickAt();
            for (Packet p : a.tick(now).packets()) {
                for (SwimMessage m : p.messages()) {
                    // The retry at the indirect round reuses the probe's sequence number.
                    if (m instanceof Ping ping && !probes.contains(ping.seq())) {
                        probeStarts.add(now.toEpochMilli());
                        probes.add(ping.seq());
                    }
                }
            }
        }
        // No ack and no nack from three helpers: +3 per probe, up to 7. The period is 1 s × (score + 1).
        List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < probeStarts.size(); i++) gaps.add(probeStarts.get(i) - probeStarts.get(i - 1));
        assertThat(gaps).startsWith(1_000L, 4_000L, 7_000L, 8_000L);
        assertThat(a.health()).isEqualTo(LAN.awarenessMaxMultiplier() - 1);

        // One answered probe is one step back to health.
        Ready ready = a.step(new Packet("b", "b:1", "a:1", List.of(new Ack(probes.getLast()))),
                java.time.Instant.ofEpochMilli(probeStarts.getLast() + 10));
        assertThat(ready.events()).contains(new SwimEvent.HealthChanged(LAN.awarenessMaxMultiplier() - 2));
    }

    @Test
    void aJoinerLearnsEveryoneAndEveryoneLearnsTheJoiner() {
        TestCluster c = new TestCluster(LAN, 12, "a", "b", "c", "d").joined();
        c.run(Duration.ofSeconds(5));
        for (String observer : c.nodes.keySet()) {
            assertThat(c.node(observer).members()).extracting(MemberInfo::state).containsOnly(ALIVE).hasSize(4);
        }
        assertThat(c.events.get("d")).contains(new SwimEvent.JoinCompleted("a:7946", 4));
        // The joiner does not re-gossip what the seed told it.
        assertThat(c.sent).filteredOn(p -> p.sourceId().equals("d")).flatExtracting(Packet::messages)
                .filteredOn(Alive.class::isInstance).extracting(m -> ((Alive) m).member()).containsOnly("d");
    }

    @Test
    void aJoinToAnUnreachableSeedFails() {
        TestCluster c = new TestCluster(LAN, 13, "a", "b");
        c.crash("a");
        c.absorb("b", c.node("b").join(List.of("a:7946"), c.now()));
        c.deliver();
        assertThat(c.events.get("b")).containsExactly(new SwimEvent.JoinFailed("a:7946"));
        // Alone, it tries again at the next push-pull period.
        c.run(LAN.pushPullInterval().plusSeconds(1));
        assertThat(c.events.get("b")).filteredOn(SwimEvent.JoinFailed.class::isInstance).hasSize(2);
    }

    @Test
    void pushPullTurnsAReportedDeathIntoASuspicionOnly() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        a.step(new Packet("b", "b:1", "a:1", List.of(new Alive("b", "b:1", 0, Map.of()))), t0);
        Ready ready = a.step(new StateExchange(StateExchange.Kind.PUSH_PULL, "c", "c:1", List.of(
                new MemberInfo("c", "c:1", ALIVE, 0, Map.of()),
                new MemberInfo("b", "b:1", DEAD, 0, Map.of()))), t0);
        assertThat(state(a, "b")).isEqualTo(SUSPECT);
        assertThat(state(a, "c")).isEqualTo(ALIVE);
        assertThat(ready.streams()).singleElement().satisfies(s -> {
            assertThat(s.destination()).isEqualTo("c:1");
            assertThat(s.exchange().kind()).isEqualTo(StateExchange.Kind.PUSH_PULL_REPLY);
            assertThat(s.exchange().members()).extracting(MemberInfo::id).containsExactly("a", "b", "c");
        });
    }

    @Test
    void aStaleAccusationMakesTheMemberAnnounceItsCurrentIncarnationAgain() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode b = new SwimNode("b", "b:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        b.step(new Packet("a", "a:1", "b:1", List.of(new Alive("a", "a:1", 0, Map.of()))), t0);
        b.step(new Packet("a", "a:1", "b:1", List.of(new Suspect("b", 0, "a"))), t0);
        assertThat(b.incarnation()).isEqualTo(1);
        // Drain the refutation: it is sent retransmit-limit times, then leaves the queue.
        for (int i = 0; i < 10; i++) b.step(new Packet("a", "a:1", "b:1", List.of(new Ping(i, "b"))), t0);
        Ready ready = b.step(new Packet("a", "a:1", "b:1", List.of(new Suspect("b", 0, "a"), new Ping(99, "b"))), t0);
        assertThat(b.incarnation()).isEqualTo(1);
        assertThat(ready.packets()).singleElement().satisfies(p -> assertThat(p.messages())
                .contains(new Ack(99), new Alive("b", "b:1", 1, Map.of())));
    }

    @Test
    void aLiveMemberClaimedFromAnotherAddressIsAConflictNotAMove() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        a.step(new Packet("b", "b:1", "a:1", List.of(new Alive("b", "b:1", 0, Map.of()))), t0);
        Ready ready = a.step(new Packet("x", "x:1", "a:1", List.of(new Alive("b", "x:1", 5, Map.of()))), t0);
        assertThat(ready.events()).containsExactly(new SwimEvent.AddressConflict("b", "b:1", "x:1"));
        assertThat(a.members()).filteredOn(m -> m.id().equals("b")).extracting(MemberInfo::address)
                .containsExactly("b:1");
    }

    @Test
    void aPingForSomeoneElseIsIgnored() {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        SwimNode a = new SwimNode("a", "a:1", Map.of(), LAN, 33, new SplittableRandom(1), t0);
        assertThat(a.step(new Packet("b", "b:1", "a:1", List.of(new Ping(1, "z"))), t0).packets()).isEmpty();
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        List<Packet> first = run(42);
        List<Packet> second = run(42);
        assertThat(second).isEqualTo(first);
        assertThat(run(43)).isNotEqualTo(first);
    }

    @Test
    void metadataTooLargeForAnAliveMessageIsRefused() {
        Map<String, String> huge = Map.of("blob", "x".repeat(600));
        assertThatThrownBy(() -> new SwimNode("a", "a:1", huge, LAN, 33, new SplittableRandom(1),
                java.time.Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 512 fit");
    }

    private static List<Packet> run(long seed) {
        TestCluster c = new TestCluster(LAN, seed, "a", "b", "c", "d").joined();
        c.run(Duration.ofSeconds(5));
        c.crash("d");
        c.run(Duration.ofSeconds(20));
        return c.sent;
    }

    private static NodeState state(SwimNode node, String subject) {
        return node.members().stream().filter(m -> m.id().equals(subject)).findFirst().map(MemberInfo::state)
                .orElse(null);
    }

    private static <T extends SwimMessage> List<T> messages(TestCluster c, String from, String to, Class<T> type) {
        Predicate<Packet> route = p -> p.sourceId().equals(from) && p.destination().equals(TestCluster.address(to));
        return c.sent.stream().filter(route).flatMap(p -> p.messages().stream()).filter(type::isInstance)
                .map(type::cast).toList();
    }
}
