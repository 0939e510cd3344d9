package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeCountsTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void itAnswersAsAMapFromPositionToCountWhateverTheOrderOfWrites(long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        NodeCounts counts = new NodeCounts();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int step = 0; step < 5_000; step++) {
            int position = rng.nextInt(2_000);
            int count = rng.nextInt(4) == 0 ? 0 : rng.nextInt(5);
            counts.set(position, count);
            expected.put(position, count);
        }
        for (int position = 0; position < 2_100; position++) {
            assertThat(counts.of(position)).as("seed %d, position %d", seed, position)
                    .isEqualTo(expected.getOrDefault(position, 0));
        }
    }
}
