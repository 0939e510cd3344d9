package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.schedule.mycelial.CreditLimitFilter;
import dev.hypha.model.Node;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On clusters large enough to be sampled, the sample is drawn only from the nodes inside a
 * request's restrictions (regions, a member's own nodes past its hard credit limit), found in the
 * columns' region and member indexes: the indexes decide as testing every node would, the sample
 * holds only nodes the hard filters let through, and the decision keeps its whole explanation.
 */
class RestrictedSamplingTest {
    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    private static List<SchedulerProfile> profiles() {
        return List.of(Profiles.simple(), RandomClusters.mycelial());
    }

    /** A request that is often restricted: a region or two, and a member that may be over its hard limit. */
    private static PlacementRequest restrictedRequest(RandomGenerator rng) {
        PlacementRequest r = RandomClusters.request(rng);
        WorkloadSpec w = r.workload();
        List<String> regions = rng.nextInt(3) == 0 ? w.placement().regions()
                : List.of(RandomClusters.REGIONS.get(rng.nextInt(RandomClusters.REGIONS.size())));
        WorkloadSpec restricted = new WorkloadSpec(w.name(), w.image(), w.command(), w.replicas(), w.resources(),
                w.restartPolicy(), w.member(), w.env(), new PlacementConstraints(w.placement().preferHighReputation(), regions));
        return new PlacementRequest(restricted, r.instanceId(), r.seed());
    }

    /** The cluster with a few nodes moved to another region or owner: the indexes must follow. */
    private static ClusterSnapshot moveSomeNodes(RandomGenerator rng, ClusterSnapshot cluster) {
        List<NodeSnapshot> nodes = new ArrayList<>(cluster.nodes());
        for (int m = 0; m < 1 + rng.nextInt(5); m++) {
            int k = rng.nextInt(nodes.size());
            NodeSnapshot s = nodes.get(k);
            Node n = s.node();
            String region = rng.nextBoolean() ? RandomClusters.REGIONS.get(rng.nextInt(RandomClusters.REGIONS.size()))
                    : n.region();
            String member = rng.nextBoolean() ? RandomClusters.MEMBERS.get(rng.nextInt(RandomClusters.MEMBERS.size()))
                    : n.member();
            Node moved = new Node(n.id(), member, n.state(), region, n.capacity(), n.costPerHour(), n.carbonIntensity(),
                    n.power(), n.address(), n.agentUrl(), n.registeredAt(), n.lastSeen());
            nodes.set(k, new NodeSnapshot(moved, s.allocated(), s.workloadCounts(), s.reputation()));
        }
        return new ClusterSnapshot(nodes, cluster.memberBalances(), cluster.revision() + 1);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decisionsAreTheSameWithAndWithoutTheIndexes(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        ClusterSnapshot start = RandomClusters.cluster(rng, 150 + rng.nextInt(2_500));
        for (SchedulerProfile profile : profiles()) {
            PipelineScheduler indexed = new PipelineScheduler(profile, true);
            PipelineScheduler scanning = new PipelineScheduler(profile, false);
            IncrementalSnapshot pass = new IncrementalSnapshot(start);
            ClusterSnapshot current = pass.snapshot();
            for (int step = 0; step < 40; step++) {
                String change = "a placement";
                if (step % 10 == 9) {
                    change = "nodes moved to other regions or owners";
                    pass = new IncrementalSnapshot(moveSomeNodes(rng, current));
                } else if (step % 10 == 4) {
                    change = "new balances";
                    Map<String, Long> balances = new HashMap<>();
                    for (String m : RandomClusters.MEMBERS) balances.put(m, Credits.ofCredits(-8_000 + 1_000L * rng.nextInt(10)));
                    pass = new IncrementalSnapshot(new ClusterSnapshot(current.nodes(), balances, current.revision()));
                }
                current = pass.snapshot();
                PlacementRequest request = rng.nextBoolean() ? restrictedRequest(rng) : RandomClusters.request(rng);
                Placement withIndex = indexed.schedule(request, current);
                assertThat(withIndex).as("seed %d, %s, step %d after %s, %s", seed, profile.name(), step, change, request)
                        .isEqualTo(scanning.schedule(request, current));
                if (withIndex instanceof Placement.Assigned a) pass.place(a.nodeId(), request.workload());
            }
        }
    }

    /** A filter that lets every node through and remembers which it was asked about: the sample. */
    private static final class Spy implements FilterPlugin {
        final Set<String> seen = new HashSet<>();

        @Override
        public String name() {
            return "spy";
        }

        @Override
        public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
            seen.add(node.id());
            return FilterResult.fits();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSampleHoldsOnlyNodesTheHardFiltersLetThrough(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        ClusterSnapshot cluster = RandomClusters.cluster(rng, 500 + rng.nextInt(2_000));
        SchedulerProfile mycelial = RandomClusters.mycelial();
        Spy spy = new Spy();
        List<FilterPlugin> filters = new ArrayList<>();
        filters.add(spy);
        filters.addAll(mycelial.filters());
        PipelineScheduler scheduler = new PipelineScheduler(new SchedulerProfile("spied", filters, mycelial.scorers(),
                mycelial.topCandidates()));
        RegionFilter region = new RegionFilter();
        CreditLimitFilter credit = new CreditLimitFilter(CreditPolicy.DEFAULT);
        int restricted = 0;
        for (int r = 0; r < 8; r++) {
            spy.seen.clear();
            PlacementRequest request = restrictedRequest(rng);
            Decision d = scheduler.schedule(request, cluster).decision();
            int inside = 0;
            int outsideRegions = 0;
            int outsideOwnNodes = 0;
            for (NodeSnapshot n : cluster.nodes()) {
                boolean inRegion = region.filter(request, n, cluster) instanceof FilterResult.Fits;
                boolean allowed = credit.filter(request, n, cluster) instanceof FilterResult.Fits;
                if (!inRegion) outsideRegions++;
                else if (!allowed) outsideOwnNodes++;
                else inside++;
                if (spy.seen.contains(n.id())) {
                    assertThat(inRegion && allowed).as("seed %d, %s: sampled node %s", seed, request, n.id()).isTrue();
                }
            }
            String context = "seed " + seed + ", " + request;
            // Filters run on whole blocks of the sample: the last block may hold a few nodes past the count.
            assertThat(spy.seen.size()).as(context)
                    .isBetween(d.nodesEvaluated(), d.nodesEvaluated() + CandidateOrder.BLOCK - 1);
            assertThat(d.nodesEvaluated()).as(context).isLessThanOrEqualTo(inside);
            // Every node left out is counted, under the first filter that leaves it out, and none is visited.
            assertThat(d.rejectionCounts().getOrDefault("region: region not allowed", 0)).as(context)
                    .isEqualTo(outsideRegions);
            assertThat(d.rejectionCounts().getOrDefault("credit-limit: " + CreditLimitFilter.REASON, 0)).as(context)
                    .isEqualTo(outsideOwnNodes);
            if (outsideRegions + outsideOwnNodes > 0) restricted++;
        }
        assertThat(restricted).as("seed %d: requests that were restricted", seed).isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theExplanationKeepsItsShape(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        ClusterSnapshot cluster = RandomClusters.cluster(rng, 300 + rng.nextInt(2_500));
        for (SchedulerProfile profile : profiles()) {
            PipelineScheduler scheduler = new PipelineScheduler(profile);
            NaiveScheduler naive = new NaiveScheduler(profile);
            Set<String> plugins = new HashSet<>();
            profile.scorers().forEach(s -> plugins.add(s.name()));
            for (int r = 0; r < 4; r++) {
                PlacementRequest request = restrictedRequest(rng);
                String context = "seed " + seed + ", " + profile.name() + ", " + request;
                Decision d = scheduler.schedule(request, cluster).decision();
                Decision all = naive.schedule(request, cluster).decision();
                assertThat(d.nodesTotal()).as(context).isEqualTo(cluster.nodes().size());
                // As many candidates as the naive scheduler keeps (it sees every feasible node; the sample enough).
                assertThat(d.topCandidates()).as(context).hasSize(all.topCandidates().size());
                Map<String, Decision.CandidateScore> byNode = new HashMap<>();
                all.topCandidates().forEach(c -> byNode.put(c.nodeId(), c));
                double previous = Double.POSITIVE_INFINITY;
                for (Decision.CandidateScore c : d.topCandidates()) {
                    assertThat(c.scores().keySet()).as(context).isEqualTo(plugins);
                    double weighted = 0;
                    for (WeightedScore s : profile.scorers()) weighted += s.weight() * c.scores().get(s.name());
                    assertThat(c.total()).as(context).isCloseTo(weighted, within(1e-12)).isLessThanOrEqualTo(previous);
                    previous = c.total();
                    // A node's scores do not depend on how it was found.
                    if (byNode.containsKey(c.nodeId())) {
                        assertThat(c).as(context).isEqualTo(byNode.get(c.nodeId()));
                    }
                }
                assertThat(d.rejections().size()).as(context).isLessThanOrEqualTo(RejectionTally.MAX_SAMPLE);
                Map<String, Integer> sampled = new HashMap<>();
                for (Decision.Rejection x : d.rejections()) {
                    NodeSnapshot node = cluster.nodes().stream().filter(n -> n.id().equals(x.nodeId())).findFirst().orElseThrow();
                    FilterPlugin plugin = profile.filters().stream().filter(f -> f.name().equals(x.plugin())).findFirst()
                            .orElseThrow();
                    // The sampled rejection is the plugin's own verdict on that node, explained.
                    FilterResult verdict = plugin.filter(request, node, cluster);
                    assertThat(verdict).as(context + ", " + x).isInstanceOf(FilterResult.Rejected.class);
                    FilterResult.Rejected rejected = (FilterResult.Rejected) verdict;
                    assertThat(x.reason()).as(context).isEqualTo(plugin.explain(rejected, request, node, cluster));
                    String key = x.plugin() + ": " + rejected.reason();
                    assertThat(d.rejectionCounts()).as(context).containsKey(key);
                    sampled.merge(key, 1, Integer::sum);
                }
                sampled.values().forEach(n -> assertThat(n).as(context).isLessThanOrEqualTo(RejectionTally.PER_REASON));
                // Every reason the naive scheduler counts for a restriction, the sample counts too.
                for (String key : all.rejectionCounts().keySet()) {
                    if (key.startsWith("region: ") || key.startsWith("credit-limit: ")) {
                        assertThat(d.rejectionCounts()).as(context).containsKey(key);
                    }
                }
            }
        }
    }

    @Test
    void theBuiltInRestrictionsAreExact() {
        RandomGenerator rng = new SplittableRandom(7);
        ClusterSnapshot cluster = RandomClusters.cluster(rng, 400);
        List<FilterPlugin> restricting = List.of(new RegionFilter(), new CreditLimitFilter(CreditPolicy.DEFAULT));
        int stated = 0;
        for (int r = 0; r < 200; r++) {
            PlacementRequest request = restrictedRequest(rng);
            for (FilterPlugin f : restricting) {
                NodeRestriction restriction = f.restriction(request, cluster);
                if (restriction == null) {
                    // No restriction: the filter lets every node through.
                    for (NodeSnapshot n : cluster.nodes()) {
                        assertThat(f.filter(request, n, cluster)).as("%s on %s", f.name(), n.id()).isEqualTo(FilterResult.fits());
                    }
                    continue;
                }
                stated++;
                for (NodeSnapshot n : cluster.nodes()) {
                    boolean inside = switch (restriction) {
                        case NodeRestriction.InRegions in -> in.regions().contains(n.node().region());
                        case NodeRestriction.OwnedBy own -> own.member().equals(n.node().member());
                    };
                    assertThat(f.filter(request, n, cluster)).as("%s on %s", f.name(), n.id())
                            .isEqualTo(inside ? FilterResult.fits() : restriction.rejection());
                }
            }
        }
        assertThat(stated).isPositive();
    }
}
