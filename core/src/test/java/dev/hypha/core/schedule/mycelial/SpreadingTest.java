package dev.hypha.core.schedule.mycelial;

import static dev.hypha.core.schedule.mycelial.Snapshots.node;
import static dev.hypha.core.schedule.mycelial.Snapshots.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.schedule.FilterResult;
import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mycelial profile over a sequence of placements: reputation tilts where work goes, load
 * spreading keeps the best node from taking everything. The selection here is the plain weighted
 * sum a pipeline computes (filter, score, highest total wins, ties by node id), with a simple
 * resource fit.
 */
class SpreadingTest {
    static final List<ProfilePlugin> PROFILE = MycelialWeights.plugins(MycelialWeights.DEFAULT);
    /** From a top node to a newcomer without history: the widest gap reputation makes. */
    static final Map<String, Double> REPUTATION = Collections.unmodifiableMap(reputations(0.5));

    static Map<String, Double> reputations(double newcomer) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("best", 0.95);
        m.put("good", 0.8);
        m.put("fair", 0.65);
        m.put("newcomer", newcomer);
        return m;
    }

    /** The cluster's nodes as they fill up. */
    static final class Cluster {
        final Map<String, Double> reputation;
        final Map<String, Resources> allocated = new HashMap<>();
        final Map<String, Map<String, Integer>> counts = new HashMap<>();

        Cluster(Map<String, Double> reputation) {
            this.reputation = reputation;
        }

        Cluster() {
            this(REPUTATION);
        }

        ClusterSnapshot snapshot() {
            List<NodeSnapshot> nodes = new ArrayList<>();
            reputation.forEach((id, rep) -> {
                var b = node(id).member(id).reputation(rep).allocated(allocated.getOrDefault(id, Resources.ZERO));
                counts.getOrDefault(id, Map.of()).forEach(b::running);
                nodes.add(b.build());
            });
            return new ClusterSnapshot(nodes, Map.of(), 1);
        }

        String place(PlacementRequest r) {
            ClusterSnapshot c = snapshot();
            String best = null;
            double bestTotal = -1;
            for (NodeSnapshot n : c.nodes()) {
                if (!r.workload().resources().fitsIn(n.free())) continue;
                double total = 0;
                boolean rejected = false;
                for (ProfilePlugin p : PROFILE) {
                    switch (p) {
                        case ProfilePlugin.Filter f -> rejected |= f.plugin().filter(r, n, c) instanceof FilterResult.Rejected;
                        case ProfilePlugin.Weighted w -> total += w.weight() * w.plugin().score(r, n, c);
                    }
                }
                if (!rejected && total > bestTotal) {
                    best = n.id();
                    bestTotal = total;
                }
            }
            if (best != null) {
                allocated.merge(best, r.workload().resources(), Resources::plus);
                counts.computeIfAbsent(best, k -> new HashMap<>()).merge(r.workload().name(), 1, Integer::sum);
            }
            return best;
        }

        int instancesOn(String node) {
            return counts.getOrDefault(node, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
        }

        double cpuUtilisation(String node) {
            return allocated.getOrDefault(node, Resources.ZERO).cpuMillicores() / 4_000.0;
        }
    }

    @Test
    void aWorkloadsReplicasGoOneToEachNodeBeforeAnyNodeTakesTwo() {
        Cluster c = new Cluster();
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) first.add(c.place(request("web", "alice", new Resources(250, 256, 0), false)));
        assertThat(first).containsExactly("best", "good", "fair", "newcomer");
    }

    @Test
    void moreReplicasStillLeanTowardBetterNodes() {
        Cluster c = new Cluster();
        for (int i = 0; i < 12; i++) c.place(request("web", "alice", new Resources(250, 256, 0), false));
        List<Integer> perNode = REPUTATION.keySet().stream().map(c::instancesOn).toList();
        assertThat(perNode).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(perNode).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(perNode.getFirst()).isGreaterThan(perNode.getLast());
    }

    @Test
    void theBestNodeIsNotFilledBeforeANewcomerGetsWork() {
        Cluster c = new Cluster();
        double bestWhenNewcomerStarted = -1;
        for (int i = 0; i < 28; i++) {
            String where = c.place(request("job-" + i, "alice", new Resources(500, 512, 0), false));
            if ("newcomer".equals(where) && bestWhenNewcomerStarted < 0) bestWhenNewcomerStarted = c.cpuUtilisation("best");
        }
        assertThat(bestWhenNewcomerStarted).as("best node's cpu use when the newcomer got its first job")
                .isBetween(0.0, 0.5);
        assertThat(c.cpuUtilisation("best")).isGreaterThan(c.cpuUtilisation("newcomer"));
        // 28 jobs of half a core fill 14 of the 16 cores: everyone works.
        assertThat(REPUTATION.keySet()).allSatisfy(n -> assertThat(c.instancesOn(n)).isGreaterThanOrEqualTo(5));
    }

    @Test
    void preferringHighReputationKeepsWorkOffDoubtfulNodes() {
        Cluster c = new Cluster();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 8; i++) placed.add(c.place(request("db", "alice", new Resources(250, 256, 0), true)));
        assertThat(placed).doesNotContainNull().contains("newcomer"); // 0.5 is the floor: neutral passes
        Cluster doubtful = new Cluster(reputations(0.4));
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 8; i++) again.add(doubtful.place(request("db", "alice", new Resources(250, 256, 0), true)));
        assertThat(again).doesNotContainNull().doesNotContain("newcomer");
    }
}
