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
 * {@link PipelineScheduler#choose} is {@link PipelineScheduler#schedule} without the explanation:
 * on any cluster, small (every node evaluated) or sampled, for any request (restricted, or
 * unplaceable), it names the node the placement assigns, or none, after evaluating as many nodes.
 */
class ChoiceTest {
    static LongStream seeds() {
        return LongStream.range(0, 16);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theChoiceIsTheAssignedNodeAfterAsManyEvaluations(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        for (SchedulerProfile profile : List.of(Profiles.simple(), RandomClusters.mycelial())) {
            PipelineScheduler scheduler = new PipelineScheduler(profile);
            int size = rng.nextBoolean() ? 1 + rng.nextInt(90) : 150 + rng.nextInt(2_500);
            IncrementalSnapshot pass = new IncrementalSnapshot(RandomClusters.cluster(rng, size));
            int assigned = 0, unplaceable = 0;
            for (int p = 0; p < 60; p++) {
                ClusterSnapshot snapshot = pass.snapshot();
                PlacementRequest request = RandomClusters.request(rng);
                // The choice first, then the full placement: neither may depend on the other having run.
                PipelineScheduler.Choice choice = scheduler.choose(request, snapshot);
                Placement placement = scheduler.schedule(request, snapshot);
                String context = "seed " + seed + ", " + profile.name() + ", " + size + " nodes, placement " + p;
                assertThat(choice.nodesEvaluated()).as(context).isEqualTo(placement.decision().nodesEvaluated());
                if (placement instanceof Placement.Assigned a) {
                    assertThat(choice.nodeId()).as(context).isEqualTo(a.nodeId());
                    pass.place(a.nodeId(), request.workload());
                    assigned++;
                } else {
                    assertThat(choice.assigned()).as(context).isFalse();
                    unplaceable++;
                }
            }
            assertThat(assigned).as("seed %d, %s: some placements assigned", seed, profile.name()).isPositive();
            assertThat(assigned + unplaceable).isEqualTo(60);
        }
    }
}
