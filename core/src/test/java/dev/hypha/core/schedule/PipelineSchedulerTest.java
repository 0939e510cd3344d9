package dev.hypha.core.schedule;

import static dev.hypha.core.schedule.ScheduleFixtures.cluster;
import static dev.hypha.core.schedule.ScheduleFixtures.free;
import static dev.hypha.core.schedule.ScheduleFixtures.loaded;
import static dev.hypha.core.schedule.ScheduleFixtures.node;
import static dev.hypha.core.schedule.ScheduleFixtures.request;
import static dev.hypha.core.schedule.ScheduleFixtures.snapshotOf;
import static dev.hypha.core.schedule.ScheduleFixtures.spec;
import static dev.hypha.core.schedule.ScheduleFixtures.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineSchedulerTest {
    private final PipelineScheduler scheduler = new PipelineScheduler(Profiles.simple());

    private static String assigned(Placement p) {
        assertThat(p).isInstanceOf(Placement.Assigned.class);
        return ((Placement.Assigned) p).nodeId();
    }

    @Test
    void itPicksTheEmptierNode() {
        ClusterSnapshot c = cluster(loaded("busy", 3000, 6000), loaded("idle", 500, 1000), loaded("mid", 2000, 4000));
        Placement p = scheduler.schedule(request(7), c);
        assertThat(assigned(p)).isEqualTo("idle");
        assertThat(p.decision().profile()).isEqualTo("simple");
        assertThat(p.decision().nodesTotal()).isEqualTo(3);
        assertThat(p.decision().nodesEvaluated()).isEqualTo(3);
    }

    @Test
    void rejectionsAreCountedPerReasonAndExplained() {
        ClusterSnapshot c = cluster(
                snapshotOf(node("dead1", 4000, 8192, "eu", NodeState.DEAD), Resources.ZERO, Map.of()),
                snapshotOf(node("dead2", 4000, 8192, "eu", NodeState.DEAD), Resources.ZERO, Map.of()),
                snapshotOf(node("sus", 4000, 8192, "eu", NodeState.SUSPECT), Resources.ZERO, Map.of()),
                loaded("full", 100, 8000),
                loaded("hot", 3900, 0),
                snapshotOf(node("far", 4000, 8192, "us", NodeState.ALIVE), Resources.ZERO, Map.of()),
                free("ok"));
        Placement p = scheduler.schedule(request(spec("web", 250, 256, "eu"), 3), c);
        assertThat(assigned(p)).isEqualTo("ok");
        assertThat(p.decision().rejectionCounts()).containsOnly(
                entry("node-alive: node is dead", 2),
                entry("node-alive: node is suspect", 1),
                entry("resource-fit: insufficient memory", 1),
                entry("resource-fit: insufficient cpu", 1),
                entry("region: region not allowed", 1));
        assertThat(p.decision().rejections()).contains(
                new Decision.Rejection("full", "resource-fit", "needs 256 MB memory, 192 MB free (64 MB short)"),
                new Decision.Rejection("far", "region", "node is in region 'us'; the workload allows only eu"),
                new Decision.Rejection("dead1", "node-alive", "node is dead"));
        assertThat(p.decision().topCandidates()).extracting(Decision.CandidateScore::nodeId).containsExactly("ok");
    }

    @Test
    void theTopCandidatesAreKeptBestFirstWithEveryPluginsScore() {
        List<NodeSnapshot> nodes = new ArrayList<>();
        for (int k = 0; k < 8; k++) nodes.add(loaded("n" + k, k * 400L, k * 800L));
        // n0 already holds two replicas of web: emptiest, but the spread score pulls it down.
        nodes.set(0, snapshotOf(nodes.get(0).node(), Resources.ZERO, Map.of("web", 2)));
        Placement p = scheduler.schedule(request(1), cluster(nodes));
        List<Decision.CandidateScore> top = p.decision().topCandidates();
        assertThat(top).extracting(Decision.CandidateScore::nodeId).containsExactly("n1", "n2", "n3", "n4", "n5");
        assertThat(assigned(p)).isEqualTo("n1");
        for (Decision.CandidateScore c : top) {
            assertThat(c.scores()).containsOnlyKeys("least-allocated", "spread");
            assertThat(c.total()).isCloseTo(0.5 * c.scores().get("least-allocated") + 0.5 * c.scores().get("spread"),
                    within(1e-12));
        }
        assertThat(top.get(0).scores().get("spread")).isEqualTo(1.0);
        assertThat(top).isSortedAccordingTo((a, b) -> Double.compare(b.total(), a.total()));
    }

    @Test
    void tiesAreBrokenByTheSeedReproduciblyAndSpreadOverEqualNodes() {
        ClusterSnapshot c = uniform(10);
        Set<String> winners = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            String first = assigned(scheduler.schedule(request(seed), c));
            assertThat(assigned(new PipelineScheduler(Profiles.simple()).schedule(request(seed), c)))
                    .as("seed %d again", seed).isEqualTo(first);
            winners.add(first);
        }
        assertThat(winners).as("equal nodes win for different seeds").hasSizeGreaterThan(5);
    }

    @Test
    void theChoiceDoesNotDependOnTheSnapshotsNodeOrder() {
        List<NodeSnapshot> nodes = new ArrayList<>(uniform(20).nodes());
        String forward = assigned(scheduler.schedule(request(11), cluster(nodes)));
        java.util.Collections.reverse(nodes);
        assertThat(assigned(scheduler.schedule(request(11), cluster(nodes)))).isEqualTo(forward);
    }

    @Test
    void unplaceableWhenNothingFitsWithEveryReasonCounted() {
        List<NodeSnapshot> nodes = new ArrayList<>();
        for (int k = 0; k < 30; k++) nodes.add(loaded("m" + k, 0, 8000));
        for (int k = 0; k < 5; k++) {
            nodes.add(snapshotOf(node("d" + k, 4000, 8192, "eu", NodeState.DEAD), Resources.ZERO, Map.of()));
        }
        Placement p = scheduler.schedule(request(spec("big", 100, 1024), 1), cluster(nodes));
        assertThat(p).isInstanceOf(Placement.Unplaceable.class);
        Decision d = p.decision();
        assertThat(d.topCandidates()).isEmpty();
        assertThat(d.nodesEvaluated()).isEqualTo(35);
        assertThat(d.rejectionCounts()).containsOnly(
                entry("resource-fit: insufficient memory", 30), entry("node-alive: node is dead", 5));
        assertThat(d.rejections()).hasSize(2 * RejectionTally.PER_REASON);
    }

    @Test
    void theRejectionSampleIsBounded() {
        List<NodeSnapshot> nodes = new ArrayList<>();
        // 30 distinct regions are one reason; vary the shortfall instead to show the total bound.
        for (int k = 0; k < 300; k++) nodes.add(loaded("m" + k, 0, 8000));
        for (int k = 0; k < 300; k++) nodes.add(loaded("c" + k, 4000, 0));
        for (int k = 0; k < 300; k++) {
            nodes.add(snapshotOf(node("s" + k, 4000, 8192, "eu", NodeState.SUSPECT), Resources.ZERO, Map.of()));
            nodes.add(snapshotOf(node("l" + k, 4000, 8192, "eu", NodeState.LEFT), Resources.ZERO, Map.of()));
            nodes.add(snapshotOf(node("d" + k, 4000, 8192, "eu", NodeState.DEAD), Resources.ZERO, Map.of()));
        }
        for (int k = 0; k < 300; k++) {
            nodes.add(snapshotOf(node("r" + k, 4000, 8192, "us", NodeState.ALIVE), Resources.ZERO, Map.of()));
        }
        Decision d = scheduler.schedule(request(spec("big", 100, 1024, "eu"), 1), cluster(nodes)).decision();
        assertThat(d.rejectionCounts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(nodes.size());
        assertThat(d.rejectionCounts()).hasSize(6);
        assertThat(d.rejections()).hasSize(6 * RejectionTally.PER_REASON);
        assertThat(d.rejections().size()).isLessThanOrEqualTo(RejectionTally.MAX_SAMPLE);
    }

    @Test
    void anEmptyClusterIsUnplaceable() {
        Placement p = scheduler.schedule(request(1), cluster(List.of()));
        assertThat(p).isInstanceOf(Placement.Unplaceable.class);
        assertThat(p.decision().nodesTotal()).isZero();
        assertThat(p.decision().rejectionCounts()).isEmpty();
    }

    @Test
    void threeReplicasOnThreeEqualNodesSpreadOnePerNode() {
        for (long seed = 0; seed < 20; seed++) {
            ClusterSnapshot c = uniform(3);
            WorkloadSpec web = spec("web", 250, 256);
            Set<String> used = new HashSet<>();
            for (int replica = 0; replica < 3; replica++) {
                String node = assigned(scheduler.schedule(new PlacementRequest(web, "web-" + replica, seed), c));
                used.add(node);
                c = ClusterSnapshots.withPlacement(c, node, web);
            }
            assertThat(used).as("seed %d", seed).hasSize(3);
        }
    }

    @ParameterizedTest(name = "{0} nodes -> {1}")
    @CsvSource({"0, 100", "100, 100", "2000, 100", "2001, 101", "5000, 250", "10000, 500", "2147483647, 107374183"})
    void feasibleNodesToFindIsFivePercentWithAFloorOfOneHundred(int nodes, int expected) {
        assertThat(PipelineScheduler.feasibleNodesToFind(nodes)).isEqualTo(expected);
    }

    @Test
    void onTenThousandNodesTheSampleIsBoundedAndReproducible() {
        ClusterSnapshot c = uniform(10_000);
        Decision d = scheduler.schedule(request(42), c).decision();
        assertThat(d.nodesTotal()).isEqualTo(10_000);
        assertThat(d.nodesEvaluated()).isEqualTo(500);
        assertThat(d.topCandidates()).hasSize(Profiles.DEFAULT_TOP_CANDIDATES);

        Placement again = new PipelineScheduler(Profiles.simple()).schedule(request(42), c);
        assertThat(again.decision()).isEqualTo(d);

        Set<List<String>> samples = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            samples.add(scheduler.schedule(request(seed), c).decision().topCandidates().stream()
                    .map(Decision.CandidateScore::nodeId).toList());
        }
        assertThat(samples).as("different seeds sample different nodes").hasSize(10);
    }

    @Test
    void onALargeClusterWithManyInfeasibleNodesItEvaluatesUntilEnoughFit() {
        List<NodeSnapshot> nodes = new ArrayList<>(uniform(10_000).nodes());
        for (int k = 0; k < nodes.size(); k += 2) nodes.set(k, loaded(nodes.get(k).id(), 4000, 0));
        Decision d = scheduler.schedule(request(5), cluster(nodes)).decision();
        int rejected = d.rejectionCounts().getOrDefault("resource-fit: insufficient cpu", 0);
        assertThat(d.nodesEvaluated() - rejected).as("feasible nodes evaluated").isEqualTo(500);
        assertThat(d.nodesEvaluated()).isBetween(800, 1200);
    }

    @Test
    void aRareFeasibleNodeIsFoundOnALargeCluster() {
        List<NodeSnapshot> nodes = new ArrayList<>();
        for (int k = 0; k < 10_000; k++) nodes.add(loaded(String.format("n%05d", k), 4000, 0));
        nodes.set(7777, free("n07777"));
        Placement p = scheduler.schedule(request(3), cluster(nodes));
        assertThat(assigned(p)).isEqualTo("n07777");
        assertThat(p.decision().nodesEvaluated()).isEqualTo(10_000);
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void onSmallClustersThePipelineAndTheNaiveSchedulerAgree(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        List<NodeSnapshot> nodes = new ArrayList<>();
        int n = 1 + rng.nextInt(100);
        for (int k = 0; k < n; k++) {
            NodeState state = rng.nextInt(10) == 0 ? NodeState.SUSPECT : NodeState.ALIVE;
            String region = rng.nextBoolean() ? "eu" : "us";
            // Coarse loads make equal totals, so ties are part of the comparison.
            long cpu = 400L * rng.nextInt(11);
            long mem = 819L * rng.nextInt(11);
            nodes.add(snapshotOf(node("n" + k, 4000, 8192, region, state), new Resources(cpu, mem, 0),
                    rng.nextBoolean() ? Map.of() : Map.of("web", rng.nextInt(3))));
        }
        PlacementRequest r = request(rng.nextBoolean() ? spec("web", 400, 819) : spec("web", 400, 819, "eu"), seed);
        Placement pipeline = scheduler.schedule(r, cluster(nodes));
        Placement naive = new NaiveScheduler(Profiles.simple()).schedule(r, cluster(nodes));
        assertThat(pipeline).as("seed %d", seed).isEqualTo(naive);
    }

    @Test
    void theNaiveSchedulerEvaluatesEveryNode() {
        Decision d = new NaiveScheduler(Profiles.simple()).schedule(request(1), uniform(3000)).decision();
        assertThat(d.nodesEvaluated()).isEqualTo(3000);
        assertThat(d.topCandidates()).hasSize(Profiles.DEFAULT_TOP_CANDIDATES);
    }

    @Test
    void aScorePluginOutsideZeroToOneIsAnError() {
        ScorePlugin broken = new ScorePlugin() {
            public String name() {
                return "broken";
            }

            public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
                return 1.5;
            }
        };
        SchedulerProfile p = new SchedulerProfile("test", List.of(), List.of(new WeightedScore(broken, 1)), 3);
        assertThatThrownBy(() -> new PipelineScheduler(p).schedule(request(1), uniform(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("score plugin 'broken' returned 1.5 for node n00000; scores must be between 0 and 1");
    }

    /** A score of the node alone that is 1.5 on the nodes {@code broken} accepts and 0.5 elsewhere. */
    private static ScorePlugin brokenOn(java.util.function.Predicate<String> broken) {
        return new ScorePlugin() {
            public String name() {
                return "broken";
            }

            public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
                return broken.test(node.id()) ? 1.5 : 0.5;
            }

            @Override
            public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
                return ColumnScore.perNode(columns, (c, k) -> broken.test(c.node(k).id()) ? 1.5 : 0.5);
            }
        };
    }

    /** Kept per node and summed in advance (when it leads the profile), a bad score is still caught and named. */
    @ParameterizedTest(name = "broken score first: {0}")
    @ValueSource(booleans = {true, false})
    void aScoreOfTheNodeAloneOutsideZeroToOneIsAnError(boolean first) {
        WeightedScore spread = new WeightedScore(new SpreadScore(), 1);
        WeightedScore one = new WeightedScore(brokenOn(id -> id.equals("n00001")), 1);
        SchedulerProfile small = new SchedulerProfile("test", List.of(), first ? List.of(one, spread) : List.of(spread, one), 3);
        assertThatThrownBy(() -> new PipelineScheduler(small).schedule(request(1), uniform(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("score plugin 'broken' returned 1.5 for node n00001; scores must be between 0 and 1");
        // On a sampled cluster, whichever node the sample finds first.
        WeightedScore all = new WeightedScore(brokenOn(id -> true), 1);
        SchedulerProfile large = new SchedulerProfile("test", List.of(), first ? List.of(all, spread) : List.of(spread, all), 3);
        assertThatThrownBy(() -> new PipelineScheduler(large).schedule(request(1), uniform(3000)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageMatching("score plugin 'broken' returned 1.5 for node n\\d{5}; scores must be between 0 and 1");
    }
}
