package dev.hypha.core.reputation;

import static dev.hypha.core.reputation.Fixtures.HOUR;
import static dev.hypha.core.reputation.Fixtures.SERVER;
import static dev.hypha.core.reputation.Fixtures.T0;
import static dev.hypha.core.reputation.Fixtures.hour;
import static dev.hypha.core.reputation.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.economy.MemberAccount;
import dev.hypha.model.economy.ReputationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReputationBookTest {
    static final ReputationBook BOOK = new ReputationBook(ReputationConfig.defaults(), Set.of(SERVER));
    static final ReputationCrdt EMPTY = ReputationCrdt.empty(HOUR);

    static Reputation score(ReputationCrdt crdt, Node node, long atHour) {
        return BOOK.scores(crdt, List.of(node), Map.of(), hour(atHour)).get(node.id());
    }

    /** {@code n} starts of {@code subject} seen by the server in hour {@code h}, a fraction {@code failing} of them failed. */
    static List<ObservedEvent> starts(String subject, long h, int n, double failing, RandomGenerator rnd) {
        List<ObservedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ObservedEvent(SERVER, subject, hour(h), rnd.nextDouble() < failing ? Fixtures.failed()
                    : Fixtures.started()));
        }
        return out;
    }

    @Test
    void aNodeWithoutHistoryIsNeutral() {
        Reputation r = score(EMPTY, node("n1"), 0);
        assertThat(r).isEqualTo(Reputation.NEUTRAL); // carbon 200 g/kWh at the reference energy scores 0.5
        var a = BOOK.assess(EMPTY, List.of(node("n1")), Map.of(), T0).get("n1");
        assertThat(a.observers()).isZero();
        assertThat(a.evidence()).isZero();
    }

    @Test
    void oneSuccessOrOneFailureMovesReliabilityByLaplacesRule() {
        assertThat(score(EMPTY.record(SERVER, "n1", T0, Fixtures.started()), node("n1"), 0).reliability())
                .isCloseTo(2.0 / 3, within(1e-12));
        assertThat(score(EMPTY.record(SERVER, "n1", T0, Fixtures.failed()), node("n1"), 0).reliability())
                .isCloseTo(1.0 / 3, within(1e-12));
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 10);
    }

    /** A node whose starts fail half the time ends clearly below nodes that rarely fail. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aFlakyNodeEndsClearlyBelowReliableOnes(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        List<Node> nodes = List.of(node("flaky"), node("r1"), node("r2"), node("r3"));
        List<ObservedEvent> events = new ArrayList<>();
        for (long h = 0; h < 24; h++) {
            events.addAll(starts("flaky", h, 3, 0.5, rnd));
            for (String r : List.of("r1", "r2", "r3")) events.addAll(starts(r, h, 3, 0.02, rnd));
            // Every node answers its gossip probes: liveness alone does not hide failed starts.
            for (Node a : nodes) {
                for (Node b : nodes) {
                    if (a != b) events.add(new ObservedEvent(a.id(), b.id(), hour(h), new NodeEvent.ProbeAcked()));
                }
            }
        }
        var scores = BOOK.scores(EMPTY.recordAll(events), nodes, Map.of(), hour(24));
        double flaky = scores.get("flaky").reliability();
        for (String r : List.of("r1", "r2", "r3")) {
            assertThat(scores.get(r).reliability()).as("seed %d: %s", seed, r).isGreaterThan(0.85)
                    .isGreaterThan(flaky + 0.3);
        }
        assertThat(flaky).as("seed %d: flaky", seed).isBetween(0.35, 0.65);
    }

    @Test
    void workloadCrashesDoNotCountAgainstTheNode() {
        List<ObservedEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(new ObservedEvent(SERVER, "n1", T0, Fixtures.started()));
            events.add(new ObservedEvent(SERVER, "n1", T0, new NodeEvent.ContainerExited(NodeEvent.ExitCause.BY_ITSELF, 1)));
            events.add(new ObservedEvent(SERVER, "n1", T0, new NodeEvent.ContainerExited(NodeEvent.ExitCause.OWN_LIMIT, 137)));
            events.add(new ObservedEvent(SERVER, "n1", T0, new NodeEvent.StartFailed(NodeEvent.StartFailure.WORKLOAD)));
            events.add(new ObservedEvent(SERVER, "n2", T0, Fixtures.started()));
        }
        ReputationCrdt c = EMPTY.recordAll(events);
        assertThat(score(c, node("n1"), 0).reliability()).isEqualTo(score(c, node("n2"), 0).reliability())
                .isGreaterThan(0.9);
    }

    @Test
    void instancesLostWhenTheNodeDiesCountAgainstIt() {
        List<ObservedEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(new ObservedEvent(SERVER, "n1", T0, Fixtures.started()));
            events.add(new ObservedEvent(SERVER, "n1", T0, new NodeEvent.InstanceLost()));
        }
        assertThat(score(EMPTY.recordAll(events), node("n1"), 0).reliability()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void oldBehaviourFadesAndIsForgottenPastTheHorizon() {
        List<ObservedEvent> bad = new ArrayList<>();
        for (int i = 0; i < 50; i++) bad.add(new ObservedEvent(SERVER, "n1", T0, Fixtures.failed()));
        ReputationCrdt c = EMPTY.recordAll(bad);
        double fresh = score(c, node("n1"), 0).reliability();
        double dayOld = score(c, node("n1"), 24).reliability();
        double weekOld = score(c, node("n1"), 24 * 7).reliability();
        double forgotten = score(c, node("n1"), 24 * 14 + 1).reliability();
        assertThat(fresh).isLessThan(dayOld);
        assertThat(dayOld).isLessThan(weekOld);
        assertThat(weekOld).isLessThan(0.5);
        assertThat(forgotten).isEqualTo(0.5);
        // A half-life later, the failures count half: 25 failures against the prior.
        assertThat(dayOld).isCloseTo(1.0 / (25 + 2), within(1e-9));
    }

    @Test
    void whatANodeSaysAboutItselfIsIgnored() {
        ReputationCrdt boast = ReputationCrdt.of(new ReputationState(HOUR.toMillis(),
                List.of(Fixtures.row("n1", "n1", EMPTY.bucketOf(T0), 1_000_000, 0, 1_000_000, 0))));
        assertThat(score(boast, node("n1"), 0)).isEqualTo(Reputation.NEUTRAL);
    }

    static Stream<Arguments> efficiency() {
        return Stream.of(
                // cpu used per second (millicores), memory used (MB), against a pledge of 1000m / 1000 MB
                Arguments.of(1_000, 1_000, 0.95, 1.0, "uses all it pledged: the best"),
                Arguments.of(4_000, 3_000, 0.95, 1.0, "over-use is capped: no better, no worse than exact use"),
                Arguments.of(500, 500, 0.45, 0.55, "half used"),
                Arguments.of(0, 0, 0.0, 0.05, "idle pledges"));
    }

    @ParameterizedTest(name = "{4}")
    @MethodSource("efficiency")
    void resourceEfficiencyIsUsedOverPledged(long cpuPerSecond, long memoryMb, double low, double high, String why) {
        Resources pledge = new Resources(1_000, 1_000, 0);
        List<ObservedEvent> samples = new ArrayList<>();
        for (int i = 0; i < 360; i++) { // an hour of 10-second samples
            samples.add(new ObservedEvent(SERVER, "n1", T0.plusSeconds(10L * i),
                    new NodeEvent.UsageSampled(10, pledge, cpuPerSecond * 10, memoryMb, null)));
        }
        assertThat(score(EMPTY.recordAll(samples), node("n1"), 1).resourceEfficiency()).as(why).isBetween(low, high);
    }

    static Stream<Arguments> ecology() {
        return Stream.of(
                // carbon g/kWh, energy joules per cpu-second (null: unmeasured), expected score
                Arguments.of(0.0, null, 1.0),
                Arguments.of(200.0, null, 0.5),
                Arguments.of(600.0, null, 0.25),
                Arguments.of(200.0, 5.0, 2.0 / 3),
                Arguments.of(200.0, 30.0, 0.25),
                Arguments.of(100.0, 20.0, 0.5));
    }

    @ParameterizedTest(name = "{0} g/kWh, {1} J per cpu-second")
    @MethodSource("ecology")
    void ecologicalBalanceIsCarbonPerUnitOfWorkAgainstTheReference(double carbon, Double joulesPerCpuSecond,
                                                                  double expected) {
        ReputationCrdt c = EMPTY;
        if (joulesPerCpuSecond != null) {
            // A lot of measured work, so the prior (the reference energy) no longer matters.
            List<ObservedEvent> samples = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                samples.add(new ObservedEvent(SERVER, "n1", T0, new NodeEvent.UsageSampled(10,
                        new Resources(1_000, 100, 0), 10_000, 100, Math.round(joulesPerCpuSecond * 10_000))));
            }
            c = c.recordAll(samples);
        }
        assertThat(score(c, node("n1", carbon), 0).ecologicalBalance()).isCloseTo(expected, within(0.01));
    }

    static Stream<Arguments> contribution() {
        return Stream.of(
                Arguments.of(0L, 0L, 0.5),
                Arguments.of(300L, 100L, 0.75),
                Arguments.of(100L, 300L, 0.25),
                Arguments.of(1L, 0L, 1.0),
                Arguments.of(0L, 5L, 0.0),
                Arguments.of(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 0.5));
    }

    @ParameterizedTest(name = "given {0}, taken {1}")
    @MethodSource("contribution")
    void contributionRatioIsGivenOverGivenPlusTaken(long given, long taken, double expected) {
        MemberAccount a = new MemberAccount("bob", given - taken, given, taken);
        Node n = Fixtures.node("n1", "bob", 200);
        assertThat(BOOK.scores(EMPTY, List.of(n), Map.of("bob", a), T0).get("n1").contributionRatio())
                .isCloseTo(expected, within(1e-12));
        assertThat(ReputationBook.contributionRatio(a)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void overallFoldsTheFourScoresWithTheSeedsWeights() {
        assertThat(ReputationBook.overall(new Reputation(1, 0, 0, 0))).isCloseTo(0.4, within(1e-12));
        assertThat(ReputationBook.overall(new Reputation(0, 1, 0, 0))).isCloseTo(0.2, within(1e-12));
        assertThat(ReputationBook.overall(new Reputation(0, 0, 1, 0))).isCloseTo(0.1, within(1e-12));
        assertThat(ReputationBook.overall(new Reputation(0, 0, 0, 1))).isCloseTo(0.3, within(1e-12));
        assertThat(ReputationBook.overall(Reputation.NEUTRAL)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theAssessmentExplainsWhereAScoreCameFrom() {
        ReputationCrdt c = EMPTY.record(SERVER, "n1", T0, Fixtures.started()).record("n2", "n1", T0,
                new NodeEvent.ProbeAcked());
        var a = BOOK.assess(c, List.of(node("n1"), node("n2")), Map.of(), T0);
        assertThat(a.get("n1").observers()).isEqualTo(2);
        // The server's start counts fully; n2 has done no work anyone saw, so it has no trust and its probe weighs nothing.
        assertThat(a.get("n1").evidence()).isCloseTo(1.0, within(1e-12));
        assertThat(a.get("n2").voice()).isZero();
        assertThat(a.get("n2").credibility()).isEqualTo(1.0); // nothing to compare with the anchors yet
        assertThat(a.get("n1").trust()).isPositive(); // the server trusts it for the container it started
        assertThat(BOOK.trust(c, List.of(node("n1"), node("n2")), T0).of(SERVER)).isGreaterThan(0.5);
    }

    @Test
    void equalInputsGiveBitEqualScores() {
        RandomGenerator rnd = new SplittableRandom(7);
        List<ObservedEvent> events = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add(node("n" + i));
            events.addAll(starts("n" + i, i % 5, 4, 0.1, rnd));
            events.add(new ObservedEvent("n" + i, "n" + ((i + 1) % 30), hour(1), new NodeEvent.ProbeAcked()));
        }
        ReputationCrdt c = EMPTY.recordAll(events);
        ReputationCrdt reordered = ReputationCrdt.of(new ReputationState(HOUR.toMillis(),
                c.toState().observations().reversed()));
        assertThat(BOOK.assess(reordered, nodes.reversed(), Map.of(), hour(6)))
                .isEqualTo(BOOK.assess(c, nodes, Map.of(), hour(6)));
    }
}
