package dev.hypha.bench;

import dev.hypha.core.economy.Credits;
import dev.hypha.model.NodeState;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.testkit.fixtures.NodeBuilder;
import dev.hypha.testkit.fixtures.SnapshotBuilder;
import dev.hypha.testkit.fixtures.WorkloadBuilder;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated cluster for scheduler benchmarks: a mixed fleet of nodes and a mix of workloads,
 * the same for a given (size, seed) on every run.
 *
 * <p>Why not a uniform cluster: with identical empty nodes every filter passes and every score
 * ties, so a scheduler would be measured on its easiest input. Here nodes differ in region (four,
 * unevenly sized), size (four shapes), state (2% suspect, 1% dead), starting load (0–30%),
 * reputation, carbon intensity and owner (one member per 50 nodes), and the workloads differ in
 * size, region constraints, reputation preference and their member's credit standing — one
 * member is past its hard credit limit, so its replicas may only use its own few nodes and the
 * scheduler must look at most of the cluster to find them.
 *
 * @param workloads the workload mix; {@link #weights} says how often each is placed
 * @param weights   relative frequency of each workload in a placement sequence
 */
public record BenchCluster(ClusterSnapshot snapshot, List<WorkloadSpec> workloads, List<Integer> weights) {
    static final List<String> REGIONS = List.of("eu-west", "us-east", "us-west", "ap-south");
    private static final int[] REGION_WEIGHTS = {40, 30, 20, 10};
    private static final Resources[] SHAPES = {
            new Resources(2000, 4096, 40_960), new Resources(4000, 8192, 81_920),
            new Resources(8000, 16_384, 163_840), new Resources(16_000, 32_768, 327_680)};
    private static final int[] SHAPE_WEIGHTS = {20, 40, 30, 10};
    /** Nodes per owning member. */
    static final int NODES_PER_MEMBER = 50;

    public BenchCluster {
        workloads = List.copyOf(workloads);
        weights = List.copyOf(weights);
        if (weights.size() != workloads.size()) {
            throw new IllegalArgumentException("one weight per workload: " + weights.size() + " weights for "
                    + workloads.size() + " workloads");
        }
        for (int w : weights) {
            if (w <= 0) throw new IllegalArgumentException("workload weights must be positive, got " + weights);
        }
    }

    /**
     * The cluster of {@code nodes} nodes for {@code seed}.
     *
     * @throws IllegalArgumentException when {@code nodes} is below 10 (too few for the mix)
     */
    public static BenchCluster generate(int nodes, long seed) {
        if (nodes < 10) throw new IllegalArgumentException("a benchmark cluster needs at least 10 nodes, got " + nodes);
        SplittableRandom random = new SplittableRandom(seed);
        int members = Math.max(4, (nodes + NODES_PER_MEMBER - 1) / NODES_PER_MEMBER);
        SnapshotBuilder b = SnapshotBuilder.snapshot();
        NodeBuilder template = NodeBuilder.node("node-00000");
        for (int k = 0; k < nodes; k++) {
            String id = String.format("node-%05d", k);
            Resources shape = SHAPES[pick(random, SHAPE_WEIGHTS)];
            double roll = random.nextDouble();
            NodeState state = roll < 0.01 ? NodeState.DEAD : roll < 0.03 ? NodeState.SUSPECT : NodeState.ALIVE;
            b.node(template.id(id).member(member(k % members)).region(REGIONS.get(pick(random, REGION_WEIGHTS)))
                    .capacity(shape).state(state).carbon(50 + random.nextInt(450))
                    .cost(0.02 * shape.cpuMillicores() / 1000.0));
            double load = random.nextDouble() * 0.3;
            b.allocate(id, new Resources((long) (shape.cpuMillicores() * load), (long) (shape.memoryMb() * load), 0));
            b.reputation(id, new Reputation(0.3 + 0.7 * random.nextDouble(), random.nextDouble(),
                    random.nextDouble(), random.nextDouble()));
        }
        // Standings: good, below the soft limit (-1,000 credits), past the hard limit (-5,000).
        b.balance(member(0), Credits.ofCredits(2_000));
        b.balance(member(1), Credits.ofCredits(-1_500));
        b.balance(member(2), Credits.ofCredits(-6_000));
        b.balance(member(3), Credits.ofCredits(300));
        List<WorkloadSpec> mix = List.of(
                WorkloadBuilder.workload("web").member(member(0)).cpu(250).memory(256).spec(),
                WorkloadBuilder.workload("api").member(member(3)).cpu(500).memory(512).regions("eu-west").spec(),
                WorkloadBuilder.workload("worker").member(member(1)).cpu(1000).memory(1024)
                        .regions("us-east", "us-west").spec(),
                WorkloadBuilder.workload("cache").member(member(0)).cpu(250).memory(2048).preferHighReputation().spec(),
                WorkloadBuilder.workload("batch").member(member(3)).cpu(2000).memory(4096).spec(),
                WorkloadBuilder.workload("edge").member(member(1)).cpu(100).memory(64).regions("ap-south").spec(),
                WorkloadBuilder.workload("train").member(member(0)).cpu(4000).memory(8192).regions("us-east")
                        .preferHighReputation().spec(),
                WorkloadBuilder.workload("overdrawn").member(member(2)).cpu(200).memory(128).spec());
        return new BenchCluster(b.build(), mix, List.of(30, 20, 15, 10, 10, 10, 3, 2));
    }

    static String member(int k) {
        return String.format("m-%03d", k);
    }

    private static int pick(SplittableRandom random, int[] weights) {
        int total = 0;
        for (int w : weights) total += w;
        int r = random.nextInt(total);
        for (int k = 0; k < weights.length; k++) {
            r -= weights[k];
            if (r < 0) return k;
        }
        throw new IllegalStateException("unreachable: r < total");
    }

    /** A seeded sequence of workload indexes drawn by {@link #weights}. */
    int[] workloadSequence(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int[] out = new int[length];
        for (int k = 0; k < length; k++) out[k] = pick(random, w);
        return out;
    }

    public int nodeCount() {
        return snapshot.nodes().size();
    }
}
