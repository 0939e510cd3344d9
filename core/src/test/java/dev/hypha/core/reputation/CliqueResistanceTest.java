package dev.hypha.core.reputation;

import static dev.hypha.core.reputation.Fixtures.HOUR;
import static dev.hypha.core.reputation.Fixtures.SERVER;
import static dev.hypha.core.reputation.Fixtures.hour;
import static dev.hypha.core.reputation.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.Node;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A clique of liars reports perfect observations of each other and bad ones of everyone else,
 * with counters as large as it likes. With the servers pre-trusted, it can neither lift itself nor
 * push honest nodes down, whatever its size (1 to as many liars as honest nodes).
 *
 * <p>Ground truth in every scenario: 20 honest nodes start 95 % of their containers; the server
 * sees every start (4 per node per hour, a day long); every node probes 5 others per hour and
 * reports truthfully, except the liars when they lie.
 */
class CliqueResistanceTest {
    static final int HONEST = 20;
    static final int HOURS = 24;
    static final ReputationBook BOOK = new ReputationBook(ReputationConfig.defaults(), Set.of(SERVER));

    static Stream<Arguments> cliques() {
        return Stream.of(1, 3, 10, 20).flatMap(size -> Stream.of(1L, 2L).map(seed -> Arguments.of(size, seed)));
    }

    /** Mean and extremes of one group's reliability. */
    record Group(double min, double mean, double max) {}

    record Outcome(Group honest, Group liars) {}

    static Outcome run(int cliqueSize, double liarTruth, boolean lie, long seed, ReputationBook book) {
        RandomGenerator rnd = new SplittableRandom(seed);
        List<String> honest = new ArrayList<>(), liars = new ArrayList<>(), all = new ArrayList<>();
        for (int i = 0; i < HONEST; i++) honest.add("h" + i);
        for (int i = 0; i < cliqueSize; i++) liars.add("l" + i);
        all.addAll(honest);
        all.addAll(liars);
        ReputationCrdt crdt = ReputationCrdt.empty(HOUR);
        List<ObservedEvent> truth = new ArrayList<>();
        List<Observation> lies = new ArrayList<>();
        for (int h = 0; h < HOURS; h++) {
            for (String n : all) {
                double p = n.startsWith("h") ? 0.95 : liarTruth;
                for (int s = 0; s < 4; s++) {
                    truth.add(new ObservedEvent(SERVER, n, hour(h), rnd.nextDouble() < p ? Fixtures.started()
                            : Fixtures.failed()));
                }
            }
            for (String o : all) {
                boolean lying = lie && o.startsWith("l");
                for (int q = 0; q < 5; q++) {
                    String s = all.get(rnd.nextInt(all.size()));
                    if (s.equals(o)) continue;
                    if (!lying) {
                        truth.add(new ObservedEvent(o, s, hour(h), new NodeEvent.ProbeAcked()));
                    } else if (s.startsWith("l")) {
                        lies.add(Fixtures.row(o, s, crdt.bucketOf(hour(h)), 10_000, 0, 10_000, 0));
                    } else {
                        lies.add(Fixtures.row(o, s, crdt.bucketOf(hour(h)), 0, 10_000, 0, 10_000));
                    }
                }
            }
        }
        crdt = crdt.recordAll(truth).merge(ReputationCrdt.of(new ReputationState(HOUR.toMillis(), lies)));
        List<Node> nodes = all.stream().map(Fixtures::node).toList();
        var scores = book.scores(crdt, nodes, Map.of(), hour(HOURS));
        return new Outcome(group(honest, scores), group(liars, scores));
    }

    static Group group(List<String> ids, Map<String, dev.hypha.model.Reputation> scores) {
        var stats = ids.stream().mapToDouble(id -> scores.get(id).reliability()).summaryStatistics();
        return new Group(stats.getMin(), stats.getAverage(), stats.getMax());
    }

    /** Liars who are mediocre hosts (60 %): every honest node stays above every liar, and the lies move nobody. */
    @ParameterizedTest(name = "clique of {0}, seed {1}")
    @MethodSource("cliques")
    void honestNodesRankAboveACliqueOfLiars(int size, long seed) {
        Outcome truthful = run(size, 0.6, false, seed, BOOK);
        Outcome lying = run(size, 0.6, true, seed, BOOK);
        String at = "clique of " + size + ", seed " + seed + ": " + lying;
        assertThat(lying.honest().min()).as(at).isGreaterThan(lying.liars().max());
        assertThat(lying.honest().mean()).as(at).isGreaterThan(0.85).isGreaterThan(truthful.honest().mean() - 0.01);
        assertThat(lying.liars().mean()).as(at).isLessThan(truthful.liars().mean() + 0.01);
    }

    /**
     * Liars who are good hosts (90 %) and earn the server's trust by their work: their lies still
     * neither lift them nor push honest nodes down, because their reports contradict the server's
     * and so carry no credibility.
     */
    @ParameterizedTest(name = "clique of {0}, seed {1}")
    @MethodSource("cliques")
    void aCliqueOfGoodHostsCannotLiftItselfByLying(int size, long seed) {
        Outcome truthful = run(size, 0.9, false, seed, BOOK);
        Outcome lying = run(size, 0.9, true, seed, BOOK);
        String at = "clique of " + size + ", seed " + seed + ": " + lying + " vs truthful " + truthful;
        assertThat(lying.liars().mean()).as(at).isLessThan(truthful.liars().mean() + 0.02);
        assertThat(lying.honest().mean()).as(at).isGreaterThan(truthful.honest().mean() - 0.02);
        assertThat(lying.honest().mean()).as(at).isGreaterThan(lying.liars().mean());
    }

    /** The anchors are what stop it: with no pre-trusted peer, the same clique of three does push honest nodes down. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void withoutPreTrustedServersTheSameLiesWouldWork(long seed) {
        ReputationBook unanchored = new ReputationBook(ReputationConfig.defaults(), Set.of());
        Outcome truthful = run(3, 0.9, false, seed, unanchored);
        Outcome lying = run(3, 0.9, true, seed, unanchored);
        assertThat(lying.honest().mean()).as("seed %d: %s", seed, lying).isLessThan(truthful.honest().mean() - 0.1);
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L);
    }
}
