package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeCountsTest {
    /** Few positions over a wide range stay a map; many over a narrow one become a column: both answer alike. */
    @ParameterizedTest(name = "seed {0}, {1} writes over {2} positions")
    @CsvSource({"1, 5000, 2000", "2, 5000, 2000", "3, 5000, 2000", "4, 40, 100000", "5, 300, 50000", "6, 3000, 3000"})
    void itAnswersAsAMapFromPositionToCountWhateverTheOrderOfWrites(long seed, int writes, int positions) {
        RandomGenerator rng = new SplittableRandom(seed);
        NodeCounts counts = new NodeCounts();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int step = 0; step < writes; step++) {
            int position = rng.nextInt(positions);
            int count = rng.nextInt(4) == 0 ? 0 : rng.nextInt(5);
            counts.set(position, count);
            expected.put(position, count);
        }
        for (int position = 0; position < positions + 100; position++) {
            assertThat(counts.of(position)).as("seed %d, position %d", seed, position)
                    .isEqualTo(expected.getOrDefault(position, 0));
        }
    }
}
