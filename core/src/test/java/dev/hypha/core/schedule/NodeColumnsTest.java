package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.economy.Credits;
import dev.hypha.model.Node;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodeColumnsTest {
    static LongStream seeds() {
        return LongStream.range(0, 12);
    }

    /** Every column at every position says what the snapshot's node record says. */
    private static void assertMatches(NodeColumns columns, ClusterSnapshot snapshot, String context) {
        assertThat(columns.size()).as(context).isEqualTo(snapshot.nodes().size());
        for (int k = 0; k < snapshot.nodes().size(); k++) {
            NodeSnapshot s = snapshot.nodes().get(k);
            Node n = s.node();
            String at = context + ", node " + k;
            assertThat(columns.node(k)).as(at).isSameAs(s);
            assertThat(columns.state(k)).as(at).isEqualTo(n.state());
            assertThat(columns.region(k)).as(at).isEqualTo(columns.regionId(n.region()));
            assertThat(columns.member(k)).as(at).isEqualTo(columns.memberId(n.member()));
            assertThat(new long[] {columns.capacityCpu(k), columns.capacityMemory(k), columns.capacityDisk(k)}).as(at)
                    .containsExactly(n.capacity().cpuMillicores(), n.capacity().memoryMb(), n.capacity().diskMb());
            assertThat(new long[] {columns.allocatedCpu(k), columns.allocatedMemory(k), columns.allocatedDisk(k)}).as(at)
                    .containsExactly(s.allocated().cpuMillicores(), s.allocated().memoryMb(), s.allocated().diskMb());
            assertThat(new double[] {columns.reliability(k), columns.resourceEfficiency(k), columns.ecologicalBalance(k),
                    columns.contributionRatio(k), columns.carbonIntensity(k)}).as(at)
                    .containsExactly(s.reputation().reliability(), s.reputation().resourceEfficiency(),
                            s.reputation().ecologicalBalance(), s.reputation().contributionRatio(), n.carbonIntensity());
            assertThat(columns.memberBalance(k)).as(at).isEqualTo(snapshot.balanceOf(n.member()));
            assertThat(columns.idHash(k)).as(at).isEqualTo(Ranking.idHash(n.id()));
            for (String w : RandomClusters.WORKLOADS) {
                assertThat(columns.counts(w).of(k)).as(at + ", " + w).isEqualTo(s.countOf(w));
            }
        }
        // Workloads that left every node are dropped from the counts, so they cannot pile up.
        java.util.Set<String> running = new java.util.HashSet<>();
        for (NodeSnapshot s : snapshot.nodes()) {
            s.workloadCounts().forEach((w, c) -> {
                if (c > 0) running.add(w);
            });
        }
        assertThat(columns.workloadsCounted()).as(context + ", workloads counted").isEqualTo(running.size());
        assertIndexed(columns.byRegion(), columns.regions(), columns::region, columns.size(), context + ", by region");
        assertIndexed(columns.byMember(), columns.members(), columns::member, columns.size(), context + ", by member");
    }

    /** Each group of the index holds exactly the positions whose key is that group, ascending. */
    private static void assertIndexed(PositionIndex index, int groups, java.util.function.IntUnaryOperator keyOf,
                                      int size, String context) {
        int total = 0;
        for (int g = 0; g < groups; g++) {
            java.util.List<Integer> expected = new java.util.ArrayList<>();
            for (int k = 0; k < size; k++) if (keyOf.applyAsInt(k) == g) expected.add(k);
            java.util.List<Integer> indexed = new java.util.ArrayList<>();
            for (int i = index.start(g); i < index.end(g); i++) indexed.add(index.positions()[i]);
            assertThat(indexed).as(context + ", group " + g).isEqualTo(expected);
            total += indexed.size();
        }
        assertThat(total).as(context).isEqualTo(size);
        assertThat(index.size(-1)).as(context).isZero();
        assertThat(index.size(groups)).as(context).isZero();
    }

    /** The snapshot with one node moved to another region or owner (a new record at its position). */
    private static ClusterSnapshot moveANode(RandomGenerator rng, ClusterSnapshot snapshot) {
        java.util.List<NodeSnapshot> nodes = new java.util.ArrayList<>(snapshot.nodes());
        int k = rng.nextInt(nodes.size());
        NodeSnapshot s = nodes.get(k);
        Node n = s.node();
        Node moved = new Node(n.id(), RandomClusters.MEMBERS.get(rng.nextInt(RandomClusters.MEMBERS.size())), n.state(),
                rng.nextBoolean() ? "elsewhere" : n.region(), n.capacity(), n.costPerHour(), n.carbonIntensity(),
                n.power(), n.address(), n.agentUrl(), n.registeredAt(), n.lastSeen());
        nodes.set(k, new NodeSnapshot(moved, s.allocated(), s.workloadCounts(), s.reputation()));
        return new ClusterSnapshot(nodes, snapshot.memberBalances(), snapshot.revision());
    }

    /**
     * The snapshot with one replica gone from a node that runs some (its count lowered, or the
     * workload gone from the node's map at its last one); the same snapshot when no node runs any.
     */
    private static ClusterSnapshot removeAReplica(RandomGenerator rng, ClusterSnapshot snapshot) {
        java.util.List<NodeSnapshot> nodes = new java.util.ArrayList<>(snapshot.nodes());
        java.util.List<Integer> running = new java.util.ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) if (!nodes.get(k).workloadCounts().isEmpty()) running.add(k);
        if (running.isEmpty()) return snapshot;
        int k = running.get(rng.nextInt(running.size()));
        NodeSnapshot s = nodes.get(k);
        java.util.List<String> workloads = new java.util.ArrayList<>(new java.util.TreeSet<>(s.workloadCounts().keySet()));
        String w = workloads.get(rng.nextInt(workloads.size()));
        java.util.Map<String, Integer> counts = new java.util.HashMap<>(s.workloadCounts());
        counts.computeIfPresent(w, (key, c) -> c == 1 ? null : c - 1);
        nodes.set(k, new NodeSnapshot(s.node(), s.allocated(), counts, s.reputation()));
        return new ClusterSnapshot(nodes, snapshot.memberBalances(), snapshot.revision());
    }

    /** A value per node from several columns, the member's balance among them. */
    private static final NodeColumns.NodeFunction DERIVED =
            (c, k) -> c.reliability(k) + c.allocatedCpu(k) + c.memberBalance(k) + c.region(k);

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void afterAnySequenceOfChangesTheColumnsMatchTheSnapshot(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        int size = 1 + rng.nextInt(200);
        NodeColumns columns = new NodeColumns();
        IncrementalSnapshot pass = new IncrementalSnapshot(RandomClusters.cluster(rng, size));
        ClusterSnapshot current = pass.snapshot();
        for (int step = 0; step < 60; step++) {
            String change;
            switch (rng.nextInt(10)) {
                case 0 -> {
                    change = "another cluster of the same size";
                    pass = new IncrementalSnapshot(RandomClusters.cluster(rng, size));
                    current = pass.snapshot();
                }
                case 1 -> {
                    size = 1 + rng.nextInt(200);
                    change = "another cluster of " + size + " nodes";
                    pass = new IncrementalSnapshot(RandomClusters.cluster(rng, size));
                    current = pass.snapshot();
                }
                case 3 -> {
                    change = "a node moved to another region or owner";
                    pass = new IncrementalSnapshot(moveANode(rng, current));
                    current = pass.snapshot();
                }
                case 4, 5 -> {
                    change = "replicas removed";
                    for (int r = 0; r < 1 + rng.nextInt(4); r++) current = removeAReplica(rng, current);
                    pass = new IncrementalSnapshot(current);
                    current = pass.snapshot();
                }
                case 2 -> {
                    change = "new balances";
                    current = new ClusterSnapshot(current.nodes(),
                            Map.of("alice", Credits.ofCredits(rng.nextInt(20) - 10)), current.revision());
                }
                default -> {
                    change = "a placement";
                    for (int p = 0; p < 1 + rng.nextInt(3); p++) {
                        String node = current.nodes().get(rng.nextInt(size)).id();
                        pass.place(node, RandomClusters.workload(rng));
                    }
                    current = new ClusterSnapshot(pass.snapshot().nodes(), current.memberBalances(), current.revision());
                }
            }
            columns.refresh(current);
            String context = "seed " + seed + ", step " + step + " (" + change + ")";
            assertMatches(columns, current, context);
            // Kept up to date by the refresh, not recomputed when asked for again.
            double[] derived = columns.derived("test", DERIVED);
            for (int k = 0; k < columns.size(); k++) {
                assertThat(derived[k]).as(context + ", derived at " + k).isEqualTo(DERIVED.at(columns, k));
            }
        }
    }

    @Test
    void aNodeThatIsNotThereHasNoRegionOrMemberId() {
        NodeColumns columns = new NodeColumns().refresh(RandomClusters.cluster(new SplittableRandom(1), 10));
        assertThat(columns.regionId("atlantis")).isEqualTo(-1);
        assertThat(columns.memberId("nobody")).isEqualTo(-1);
        assertThat(columns.counts("nothing").of(3)).isZero();
    }
}
