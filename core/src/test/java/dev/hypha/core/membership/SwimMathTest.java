package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SwimMathTest {

    @ParameterizedTest(name = "mult {0}, n {1}, interval {2} ms -> {3} ms")
    @CsvSource({
            // memberlist's util_test.go table, plus the sizes Hypha cares about
            "3, 1, 1000, 3000",
            "3, 5, 1000, 3000",
            "3, 10, 1000, 3000",
            "3, 50, 1000, 5094",
            "3, 100, 1000, 6000",
            "3, 500, 1000, 8094",
            "3, 1000, 1000, 9000",
            "4, 1000, 1000, 12000",
            "4, 10000, 1000, 16000",
            "4, 0, 1000, 4000",
            "3, 3, 200, 600",
    })
    void suspicionTimeoutScalesWithLog10OfMembers(int mult, int members, long intervalMs, long expectedMs) {
        assertThat(SwimMath.suspicionTimeout(mult, members, Duration.ofMillis(intervalMs)))
                .isEqualTo(Duration.ofMillis(expectedMs));
    }

    static Stream<Arguments> dynamicSuspicion() {
        Duration min = Duration.ofSeconds(2);
        Duration max = Duration.ofSeconds(30);
        return Stream.of(
                // memberlist's suspicion_test.go TestSuspicion_remainingSuspicionTime, as full timeouts
                Arguments.of(0, 3, min, max, Duration.ofSeconds(30)),
                Arguments.of(1, 3, min, max, Duration.ofMillis(16_000)),
                Arguments.of(2, 3, min, max, Duration.ofMillis(7_810)),
                Arguments.of(3, 3, min, max, Duration.ofSeconds(2)),
                Arguments.of(4, 3, min, max, Duration.ofSeconds(2)),
                // nobody can confirm: straight to the minimum
                Arguments.of(0, 0, min, max, Duration.ofSeconds(2)),
                Arguments.of(0, 2, Duration.ofSeconds(12), Duration.ofSeconds(72), Duration.ofSeconds(72)),
                Arguments.of(1, 2, Duration.ofSeconds(12), Duration.ofSeconds(72), Duration.ofMillis(34_144)),
                Arguments.of(2, 2, Duration.ofSeconds(12), Duration.ofSeconds(72), Duration.ofSeconds(12)));
    }

    @ParameterizedTest(name = "{0} of {1} confirmations -> {4}")
    @MethodSource("dynamicSuspicion")
    void suspicionShrinksLogarithmicallyWithConfirmations(int confirmations, int expected, Duration min,
            Duration max, Duration timeout) {
        assertThat(SwimMath.suspicionTimeout(confirmations, expected, min, max)).isEqualTo(timeout);
    }

    @ParameterizedTest(name = "mult {0}, n {1} -> k {2}")
    @CsvSource({"4, 1000, 2", "4, 4, 2", "4, 3, 0", "4, 2, 0", "3, 3, 1", "3, 2, 0", "2, 100, 0", "1, 100, 0"})
    void expectedConfirmationsIsMultMinusTwoWhenEnoughMembers(int mult, int members, int expected) {
        assertThat(SwimMath.expectedConfirmations(mult, members)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "mult {0}, n {1} -> {2}")
    @CsvSource({
            // memberlist's TestRetransmitLimit table
            "3, 0, 0",
            "3, 1, 3",
            "3, 99, 6",
            "4, 1000, 16",
            "4, 999, 12",
            "4, 3, 4",
            "2, 9, 2",
            "2, 10, 4",
    })
    void retransmitLimitIsMultTimesCeilLog10(int mult, int members, int expected) {
        assertThat(SwimMath.retransmitLimit(mult, members)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "score {0} + {1} (max {2}) -> {3}")
    @CsvSource({
            // memberlist's awareness_test.go sequence, max 8
            "0, -1, 8, 0",
            "0, 1, 8, 1",
            "1, 1, 8, 2",
            "2, 3, 8, 5",
            "5, 3, 8, 7",
            "7, 1, 8, 7",
            "7, -1, 8, 6",
            "6, -10, 8, 0",
            "0, 5, 1, 0",
    })
    void healthScoreStaysBetweenZeroAndMaxMinusOne(int score, int delta, int max, int expected) {
        assertThat(SwimMath.applyHealthDelta(score, delta, max)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "score {0} -> x{1}")
    @CsvSource({"0, 1", "1, 2", "7, 8"})
    void healthScalesTimeoutsByScorePlusOne(int score, int factor) {
        assertThat(SwimMath.scaleByHealth(Duration.ofMillis(500), score)).isEqualTo(Duration.ofMillis(500L * factor));
    }

    @ParameterizedTest(name = "n {0} -> x{1}")
    @CsvSource({"1, 1", "32, 1", "33, 2", "64, 2", "65, 3", "128, 3", "1000, 6", "10000, 10"})
    void pushPullIntervalGrowsPerDoublingBeyond32(int members, int factor) {
        assertThat(SwimMath.pushPullInterval(Duration.ofSeconds(30), members))
                .isEqualTo(Duration.ofSeconds(30L * factor));
    }
}
