package dev.hypha.core.schedule.mycelial;

import static dev.hypha.core.schedule.mycelial.Snapshots.cluster;
import static dev.hypha.core.schedule.mycelial.Snapshots.node;
import static dev.hypha.core.schedule.mycelial.Snapshots.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.core.economy.Credits;
import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.core.schedule.WeightedScore;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScorePluginsTest {

    @Test
    void reliabilityAndEfficiencyReadTheNodesReputation() {
        NodeSnapshot n = node("n1").reputation(new Reputation(0.9, 0.3, 0.5, 0.5)).build();
        assertThat(new ReliabilityScore().score(request("web"), n, cluster(n))).isEqualTo(0.9);
        assertThat(new EfficiencyScore().score(request("web"), n, cluster(n))).isEqualTo(0.3);
        NodeSnapshot unknown = node("n2").build();
        assertThat(new ReliabilityScore().score(request("web"), unknown, cluster(unknown))).isEqualTo(0.5);
        assertThat(new ReliabilityScore().name()).isEqualTo("reliability");
        assertThat(new EfficiencyScore().name()).isEqualTo("efficiency");
    }

    static Stream<Arguments> contribution() {
        long k = Credits.ofCredits(1_000);
        return Stream.of(
                // contribution ratio, member balance (micro-credits), expected score
                Arguments.of(0.5, 0L, 0.5),
                Arguments.of(1.0, 0L, 0.25),
                Arguments.of(0.0, 0L, 0.75),
                Arguments.of(0.5, k, 0.375),
                Arguments.of(0.5, -k, 0.625),
                Arguments.of(1.0, 1_000 * k, 0.25 / 1_001),
                Arguments.of(0.0, Long.MIN_VALUE, 1.0));
    }

    @ParameterizedTest(name = "ratio {0}, balance {1}")
    @MethodSource("contribution")
    void contributionBlendsTheRatioWithTheMembersBalanceFavouringWhoHasToGiveBack(double ratio, long balance,
                                                                                  double expected) {
        NodeSnapshot n = node("n1").member("bob").reputation(new Reputation(0.5, 0.5, 0.5, ratio)).build();
        assertThat(new ContributionScore().score(request("web"), n, cluster(java.util.List.of(n),
                Map.of("bob", balance)))).isCloseTo(expected, within(1e-9));
    }

    @Test
    void contributionIsContinuousNotTheSeedsStep() {
        NodeSnapshot n = node("n1").member("bob").build();
        ContributionScore s = new ContributionScore();
        double previous = 2;
        for (long b = -5_000_000; b <= 5_000_000; b += 1_000) {
            double v = s.score(request("web"), n, cluster(java.util.List.of(n), Map.of("bob", b)));
            if (previous <= 1) assertThat(previous - v).as("at balance %d", b).isBetween(0.0, 1e-6);
            previous = v;
        }
        assertThatThrownBy(() -> new ContributionScore(0)).hasMessageContaining("must be a positive number");
    }

    /**
     * Work flows toward machines whose members have taken more than they gave (DESIGN.md, "The
     * mycelial economy"): of two nodes alike in all but their member's standing, the debtor's
     * scores higher, through the node's record and through the columns alike, and the mycelial
     * profile places the replica there.
     */
    @Test
    void aDebtorMembersNodeScoresHigherThanACreditorMembersOtherwiseEqualNode() {
        long k = Credits.ofCredits(1_000);
        // Each member's history agrees with its balance: the debtor took more than it gave.
        NodeSnapshot debtors = node("n-debtor").member("dora").reputation(new Reputation(0.8, 0.7, 0.6, 0.3)).build();
        NodeSnapshot creditors = node("n-creditor").member("carl").reputation(new Reputation(0.8, 0.7, 0.6, 0.7)).build();
        var c = cluster(java.util.List.of(debtors, creditors), Map.of("dora", -2 * k, "carl", 2 * k));
        var r = request("web");
        ContributionScore s = new ContributionScore();
        assertThat(s.score(r, debtors, c)).isGreaterThan(0.5).isGreaterThan(s.score(r, creditors, c));
        assertThat(s.score(r, creditors, c)).isLessThan(0.5);

        NodeColumns columns = new NodeColumns().refresh(c);
        double[] columnScores = new double[2];
        s.prepare(r, c, columns).score(new int[] {0, 1}, 2, columnScores);
        assertThat(columnScores).containsExactly(s.score(r, debtors, c), s.score(r, creditors, c));

        // The same standing on the balance alone (no history yet) points the same way.
        NodeSnapshot newDebtor = node("n-d").member("dora").build(), newCreditor = node("n-c").member("carl").build();
        assertThat(s.score(r, newDebtor, c)).isGreaterThan(s.score(r, newCreditor, c));

        Placement p = new PipelineScheduler(mycelialProfile()).schedule(r, c);
        assertThat(p).isInstanceOf(Placement.Assigned.class);
        assertThat(((Placement.Assigned) p).nodeId()).isEqualTo("n-debtor");
        Decision.CandidateScore best = p.decision().topCandidates().getFirst();
        assertThat(best.scores().get(ContributionScore.NAME))
                .isGreaterThan(p.decision().topCandidates().get(1).scores().get(ContributionScore.NAME));
    }

    /** The mycelial profile as the server builds it: the simple profile's filters, then the mycelial plugins. */
    static SchedulerProfile mycelialProfile() {
        List<FilterPlugin> filters = new ArrayList<>(Profiles.simple().filters());
        List<WeightedScore> scorers = new ArrayList<>();
        for (ProfilePlugin p : MycelialWeights.plugins(MycelialWeights.DEFAULT)) {
            switch (p) {
                case ProfilePlugin.Filter f -> filters.add(f.plugin());
                case ProfilePlugin.Weighted w -> scorers.add(new WeightedScore(w.plugin(), w.weight()));
            }
        }
        return new SchedulerProfile("mycelial", filters, scorers, Profiles.DEFAULT_TOP_CANDIDATES);
    }

    static Stream<Arguments> ecology() {
        return Stream.of(
                // ecological balance, carbon intensity now, expected
                Arguments.of(1.0, 0.0, 1.0),
                Arguments.of(0.5, 200.0, 0.5),
                Arguments.of(0.5, 600.0, 0.375),
                Arguments.of(0.0, 1e9, 0.0),
                Arguments.of(0.8, 50.0, 0.8));
    }

    @ParameterizedTest(name = "balance {0}, {1} g/kWh")
    @MethodSource("ecology")
    void ecologyBlendsHistoryWithTheCurrentCarbonIntensity(double balance, double carbon, double expected) {
        NodeSnapshot n = node("n1").carbon(carbon).reputation(new Reputation(0.5, 0.5, balance, 0.5)).build();
        assertThat(new EcologyScore().score(request("web"), n, cluster(n))).isCloseTo(expected, within(1e-6));
        assertThatThrownBy(() -> new EcologyScore(0)).hasMessageContaining("must be positive");
    }

    static Stream<Arguments> load() {
        Resources cap = new Resources(4_000, 8_192, 0);
        return Stream.of(
                // allocated, same-workload replicas, request, expected
                Arguments.of(Resources.ZERO, 0, new Resources(1_000, 1_024, 0), 1 - (0.25 + 0.125) / 2),
                Arguments.of(Resources.ZERO, 1, new Resources(1_000, 1_024, 0), (1 - (0.25 + 0.125) / 2) / 2),
                Arguments.of(new Resources(2_000, 4_096, 0), 0, new Resources(1_000, 1_024, 0), 1 - (0.75 + 0.625) / 2),
                Arguments.of(new Resources(3_000, 7_168, 0), 3, new Resources(1_000, 1_024, 0), 0.0),
                Arguments.of(cap, 0, new Resources(1_000, 1_024, 0), 0.0));
    }

    @ParameterizedTest(name = "allocated {0}, {1} same")
    @MethodSource("load")
    void loadSpreadPrefersEmptierNodesAndFewerReplicasOfTheSameWorkload(Resources allocated, int same,
                                                                       Resources req, double expected) {
        NodeSnapshot n = node("n1").capacity(new Resources(4_000, 8_192, 0)).allocated(allocated)
                .running("web", same).running("other", 7).build();
        var r = request("web", "alice", req, false);
        assertThat(new LoadSpreadScore().score(r, n, cluster(n))).isCloseTo(expected, within(1e-12));
    }

    @Test
    void reputationPreferenceOnlyAppliesToWorkloadsThatAskForIt() {
        NodeSnapshot good = node("n1").reliability(0.9).build(), bad = node("n2").reliability(0.2).build();
        var s = new ReputationPreferenceScore();
        var plain = request("web", "alice", new Resources(100, 64, 0), false);
        var picky = request("web", "alice", new Resources(100, 64, 0), true);
        assertThat(s.score(plain, good, cluster(good))).isZero();
        assertThat(s.score(plain, bad, cluster(bad))).isZero();
        assertThat(s.score(picky, good, cluster(good))).isEqualTo(0.9);
        assertThat(s.score(picky, bad, cluster(bad))).isEqualTo(0.2);
    }

    @Test
    void everyScoreStaysWithinZeroAndOne() {
        var plugins = MycelialWeights.plugins(MycelialWeights.DEFAULT).stream()
                .filter(p -> p instanceof ProfilePlugin.Weighted).map(p -> ((ProfilePlugin.Weighted) p).plugin()).toList();
        for (double rep : new double[] {0, 0.5, 1}) {
            for (double carbon : new double[] {0, 200, 1e12}) {
                for (long balance : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}) {
                    NodeSnapshot n = node("n1").member("bob").reputation(rep).carbon(carbon)
                            .capacity(new Resources(0, 0, 0)).running("web", 1_000_000).build();
                    var c = cluster(java.util.List.of(n), Map.of("bob", balance));
                    for (var p : plugins) {
                        assertThat(p.score(request("web", "alice", new Resources(1, 1, 0), true), n, c))
                                .as("%s at rep %s carbon %s balance %s", p.name(), rep, carbon, balance)
                                .isBetween(0.0, 1.0);
                    }
                }
            }
        }
    }
}
