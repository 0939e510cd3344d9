package dev.hypha.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GiniTest {
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(new long[] {}, 0.0),
                Arguments.of(new long[] {0, 0, 0}, 0.0),
                Arguments.of(new long[] {5, 5, 5, 5}, 0.0),
                Arguments.of(new long[] {-7, -7}, 0.0),
                // Non-negative values: the usual Gini. One of four holds everything: (n - 1) / n.
                Arguments.of(new long[] {0, 0, 0, 10}, 0.75),
                Arguments.of(new long[] {1, 2, 3, 4}, 0.25),
                // Zero-sum balances: one creditor, one debtor.
                Arguments.of(new long[] {1, -1}, 0.5),
                Arguments.of(new long[] {3, -1, -1, -1}, 0.5),
                Arguments.of(new long[] {2, 1, -1, -2}, 7.0 / 12));
    }

    @ParameterizedTest(name = "{index}: gini = {1}")
    @MethodSource("table")
    void knownValues(long[] values, double expected) {
        assertThat(Gini.of(values)).isCloseTo(expected, within(1e-12));
    }

    static LongStream seeds() {
        return LongStream.range(0, 50).map(i -> 0x6141_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void staysInZeroToOneAndIgnoresOrderAndScale(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(200);
        long[] values = new long[n];
        for (int k = 0; k < n; k++) values[k] = random.nextLong(-1_000_000_000L, 1_000_000_000L);
        double g = Gini.of(values);
        assertThat(g).as("seed %d", seed).isBetween(0.0, 1.0);

        long[] reversed = new long[n];
        long[] tripled = new long[n];
        for (int k = 0; k < n; k++) {
            reversed[k] = values[n - 1 - k];
            tripled[k] = 3 * values[k];
        }
        assertThat(Gini.of(reversed)).as("seed %d", seed).isCloseTo(g, within(1e-9));
        assertThat(Gini.of(tripled)).as("seed %d", seed).isCloseTo(g, within(1e-9));
        assertThat(naive(values)).as("seed %d", seed).isCloseTo(g, within(1e-9));
    }

    /** The definition, pair by pair. */
    private static double naive(long[] v) {
        double pairs = 0, absolute = 0;
        for (long a : v) {
            absolute += Math.abs((double) a);
            for (long b : v) pairs += Math.abs((double) a - b);
        }
        return absolute == 0 ? 0 : pairs / (2 * v.length * absolute);
    }
}
