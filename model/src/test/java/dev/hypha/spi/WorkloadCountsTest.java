package dev.hypha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Node;
import dev.hypha.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** {@link WorkloadCounts} behaves as an immutable map of the counts a plain map adds up, across its merges. */
class WorkloadCountsTest {
    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 20).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyVersionEqualsThePlainMapOfItsCounts(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        Map<String, Integer> start = new HashMap<>();
        int workloads = 1 + random.nextInt(200);
        for (int k = 0; k < random.nextInt(workloads); k++) start.put("w" + random.nextInt(workloads), 1 + random.nextInt(5));
        Map<String, Integer> expected = new HashMap<>(start);
        WorkloadCounts counts = WorkloadCounts.of(start);
        List<WorkloadCounts> versions = new ArrayList<>();
        List<Map<String, Integer>> expectedVersions = new ArrayList<>();
        int steps = random.nextInt(5 * WorkloadCounts.MAX_CHANGES);
        for (int s = 0; s < steps; s++) {
            String w = "w" + random.nextInt(workloads + 10);
            counts = counts.plusOne(w);
            expected.merge(w, 1, Integer::sum);
            versions.add(counts);
            expectedVersions.add(Map.copyOf(expected));
        }
        for (int v = 0; v < versions.size(); v++) {
            WorkloadCounts c = versions.get(v);
            Map<String, Integer> e = expectedVersions.get(v);
            assertThat(c).as("seed %d, version %d", seed, v).isEqualTo(e).hasSize(e.size());
            assertThat(c.hashCode()).as("seed %d, version %d", seed, v).isEqualTo(e.hashCode());
            for (int k = 0; k < workloads + 10; k++) {
                String w = "w" + k;
                assertThat(c.getOrDefault(w, 0)).as("seed %d, version %d, %s", seed, v, w).isEqualTo(e.getOrDefault(w, 0));
                assertThat(c.containsKey(w)).isEqualTo(e.containsKey(w));
            }
        }
    }

    @Test
    void aNodeSnapshotKeepsWorkloadCountsAsTheyAreAndCopiesAnyOtherMap() {
        Node n = new Node("n1", null, null, "eu", new Resources(4000, 8192, 0), 0, 0, null, null, null, null, null);
        WorkloadCounts counts = WorkloadCounts.of(Map.of("web", 2)).plusOne("api");
        assertThat(new NodeSnapshot(n, Resources.ZERO, counts, null).workloadCounts()).isSameAs(counts);

        Map<String, Integer> plain = new HashMap<>(Map.of("web", 2));
        NodeSnapshot copied = new NodeSnapshot(n, Resources.ZERO, plain, null);
        plain.put("web", 3);
        assertThat(copied.countOf("web")).isEqualTo(2);
        assertThat(copied).isEqualTo(new NodeSnapshot(n, Resources.ZERO, WorkloadCounts.of(Map.of("web", 2)), null));
    }

    @Test
    void itCannotBeChanged() {
        WorkloadCounts counts = WorkloadCounts.of(Map.of("web", 2)).plusOne("web");
        assertThatThrownBy(() -> counts.put("web", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> counts.remove("web")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(counts::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(counts).containsEntry("web", 3);
    }
}
