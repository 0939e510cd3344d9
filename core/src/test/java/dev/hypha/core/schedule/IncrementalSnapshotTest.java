package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncrementalSnapshotTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void placementsGiveWhatWithPlacementGivesAndEarlierSnapshotsStayAsTheyWere(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        ClusterSnapshot start = RandomClusters.cluster(rng, 1 + rng.nextInt(400));
        IncrementalSnapshot pass = new IncrementalSnapshot(start);
        assertThat(pass.snapshot()).isEqualTo(start);
        ClusterSnapshot expected = start;
        for (int step = 0; step < 100; step++) {
            ClusterSnapshot before = pass.snapshot();
            ClusterSnapshot copyOfBefore = new ClusterSnapshot(java.util.List.copyOf(before.nodes()),
                    before.memberBalances(), before.revision());
            String node = start.nodes().get(rng.nextInt(start.nodes().size())).id();
            WorkloadSpec w = RandomClusters.workload(rng);
            pass.place(node, w);
            expected = ClusterSnapshots.withPlacement(expected, node, w);
            assertThat(pass.snapshot()).as("seed %d, step %d", seed, step).isEqualTo(expected);
            assertThat(pass.node(node)).isEqualTo(pass.snapshot().nodes().stream()
                    .filter(n -> n.id().equals(node)).findFirst().orElseThrow());
            assertThat(before).as("a snapshot handed out earlier").isEqualTo(copyOfBefore);
        }
    }

    @Test
    void anUnknownNodeIsAnError() {
        IncrementalSnapshot pass = new IncrementalSnapshot(RandomClusters.cluster(new SplittableRandom(1), 3));
        assertThatThrownBy(() -> pass.place("n9", RandomClusters.workload(new SplittableRandom(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node 'n9' is not in the cluster snapshot");
        assertThat(pass.node("n9")).isNull();
    }
}
