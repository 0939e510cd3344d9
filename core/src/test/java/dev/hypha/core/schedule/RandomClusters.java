package dev.hypha.core.schedule;

import dev.hypha.core.economy.Credits;
import dev.hypha.core.schedule.mycelial.MycelialWeights;
import dev.hypha.core.schedule.mycelial.ProfilePlugin;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Seeded random scheduler inputs with every kind of variety the plugins react to: node states,
 * regions, owners, sizes, loads, replica counts, reputations, carbon intensity, member balances
 * on both sides of the credit limits, and workloads with and without regions and reputation
 * preference. Coarse values make equal totals likely, so ties are exercised too.
 */
final class RandomClusters {
    static final List<String> REGIONS = List.of("eu", "us", "ap");
    static final List<String> WORKLOADS = List.of("web", "api", "db");
    static final List<String> MEMBERS = List.of("alice", "bob", "carol", "dave");

    private RandomClusters() {}

    static ClusterSnapshot cluster(RandomGenerator rng, int size) {
        List<NodeSnapshot> nodes = new ArrayList<>(size);
        for (int k = 0; k < size; k++) nodes.add(node(rng, "n" + k));
        Map<String, Long> balances = new HashMap<>();
        for (String m : MEMBERS) {
            if (rng.nextInt(4) > 0) balances.put(m, Credits.ofCredits(-7_000 + 1_000L * rng.nextInt(10)));
        }
        return new ClusterSnapshot(nodes, balances, 1);
    }

    static NodeSnapshot node(RandomGenerator rng, String id) {
        NodeState[] states = NodeState.values();
        NodeState state = rng.nextInt(8) == 0 ? states[rng.nextInt(states.length)] : NodeState.ALIVE;
        // Some nodes belong to a shared member, the others to themselves (the default).
        String member = rng.nextInt(3) == 0 ? MEMBERS.get(rng.nextInt(MEMBERS.size())) : null;
        long cpu = 1000L * (1 + rng.nextInt(8));
        long memory = 1024L * (1 + rng.nextInt(8));
        Node n = new Node(id, member, state, REGIONS.get(rng.nextInt(REGIONS.size())), new Resources(cpu, memory, 10_240),
                0.1, 50 * rng.nextInt(10), null, null, null, null, null);
        Resources allocated = new Resources(cpu / 4 * rng.nextInt(5), memory / 4 * rng.nextInt(5), 0);
        Map<String, Integer> counts = new HashMap<>();
        for (String w : WORKLOADS) if (rng.nextInt(3) == 0) counts.put(w, 1 + rng.nextInt(3));
        Reputation reputation = rng.nextInt(4) == 0 ? Reputation.NEUTRAL
                : new Reputation(rng.nextInt(11) / 10.0, rng.nextInt(11) / 10.0, rng.nextInt(11) / 10.0,
                        rng.nextInt(11) / 10.0);
        return new NodeSnapshot(n, allocated, counts, reputation);
    }

    static WorkloadSpec workload(RandomGenerator rng) {
        List<String> regions = new ArrayList<>();
        for (String r : REGIONS) if (rng.nextInt(3) == 0) regions.add(r);
        if (rng.nextBoolean()) regions.clear();
        if (rng.nextInt(8) == 0) regions.add("nowhere");
        return new WorkloadSpec(WORKLOADS.get(rng.nextInt(WORKLOADS.size())), "busybox", null, 1,
                new Resources(250L * (1 + rng.nextInt(8)), 256L * (1 + rng.nextInt(8)), rng.nextInt(6) == 0 ? 20_000 : 0),
                RestartPolicy.ALWAYS, MEMBERS.get(rng.nextInt(MEMBERS.size())), null,
                new PlacementConstraints(rng.nextBoolean(), regions));
    }

    static PlacementRequest request(RandomGenerator rng) {
        WorkloadSpec w = workload(rng);
        return new PlacementRequest(w, w.name() + "-x", rng.nextLong());
    }

    /** The mycelial profile as the server builds it: the simple filters, then the mycelial plugins. */
    static SchedulerProfile mycelial() {
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

    /**
     * The same plugins without their column fast paths: the pipeline then reads every node's
     * record. Their restrictions are kept: they are what the sample is drawn from, not a faster
     * way to filter.
     */
    static SchedulerProfile recordsOnly(SchedulerProfile profile) {
        List<FilterPlugin> filters = profile.filters().stream().<FilterPlugin>map(RecordFilter::new).toList();
        List<WeightedScore> scorers = profile.scorers().stream()
                .map(s -> new WeightedScore(new RecordScore(s.plugin()), s.weight())).toList();
        return new SchedulerProfile(profile.name(), filters, scorers, profile.topCandidates());
    }

    private record RecordFilter(FilterPlugin plugin) implements FilterPlugin {
        @Override
        public String name() {
            return plugin.name();
        }

        @Override
        public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
            return plugin.filter(request, node, cluster);
        }

        @Override
        public String explain(FilterResult.Rejected rejection, PlacementRequest request, NodeSnapshot node,
                              ClusterSnapshot cluster) {
            return plugin.explain(rejection, request, node, cluster);
        }

        @Override
        public NodeRestriction restriction(PlacementRequest request, ClusterSnapshot cluster) {
            return plugin.restriction(request, cluster);
        }
    }

    private record RecordScore(ScorePlugin plugin) implements ScorePlugin {
        @Override
        public String name() {
            return plugin.name();
        }

        @Override
        public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
            return plugin.score(request, node, cluster);
        }
    }
}
