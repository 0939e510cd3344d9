package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The column fast paths of the built-in plugins decide exactly as their per-node forms: the same
 * placement, candidates, scores, rejection counts and sampled rejections, for both profiles, on
 * clusters small enough to evaluate every node and large enough to be sampled, and across a
 * sequence of placements where the columns are refreshed incrementally.
 */
class ColumnPathTest {
    static LongStream seeds() {
        return LongStream.range(0, 25);
    }

    private static List<SchedulerProfile> profiles() {
        return List.of(Profiles.simple(), RandomClusters.mycelial());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void columnsAndRecordsGiveTheSameDecision(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        int size = rng.nextBoolean() ? 1 + rng.nextInt(100) : 100 + rng.nextInt(2_500);
        ClusterSnapshot cluster = RandomClusters.cluster(rng, size);
        for (SchedulerProfile profile : profiles()) {
            PipelineScheduler columns = new PipelineScheduler(profile);
            PipelineScheduler records = new PipelineScheduler(RandomClusters.recordsOnly(profile));
            for (int r = 0; r < 6; r++) {
                PlacementRequest request = RandomClusters.request(rng);
                Placement fast = columns.schedule(request, cluster);
                assertThat(fast).as("seed %d, %s, %d nodes, %s", seed, profile.name(), size, request)
                        .isEqualTo(records.schedule(request, cluster));
                if (size <= PipelineScheduler.MIN_FEASIBLE_NODES) {
                    assertThat(fast).as("seed %d, %s: against the naive scheduler", seed, profile.name())
                            .isEqualTo(new NaiveScheduler(profile).schedule(request, cluster));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSequenceOfPlacementsKeepsTheColumnsInStepWithTheSnapshots(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        ClusterSnapshot start = RandomClusters.cluster(rng, 50 + rng.nextInt(1_500));
        ClusterSnapshot other = RandomClusters.cluster(rng, start.nodes().size());
        for (SchedulerProfile profile : profiles()) {
            PipelineScheduler columns = new PipelineScheduler(profile);
            PipelineScheduler records = new PipelineScheduler(RandomClusters.recordsOnly(profile));
            IncrementalSnapshot pass = new IncrementalSnapshot(start);
            for (int step = 0; step < 60; step++) {
                if (step % 20 == 10) {
                    // Another cluster of the same size in between: the columns must not keep any of it.
                    PlacementRequest elsewhere = RandomClusters.request(rng);
                    assertThat(columns.schedule(elsewhere, other)).isEqualTo(records.schedule(elsewhere, other));
                }
                PlacementRequest request = RandomClusters.request(rng);
                Placement fast = columns.schedule(request, pass.snapshot());
                assertThat(fast).as("seed %d, %s, step %d", seed, profile.name(), step)
                        .isEqualTo(records.schedule(request, pass.snapshot()));
                if (fast instanceof Placement.Assigned a) pass.place(a.nodeId(), request.workload());
            }
        }
    }
}
