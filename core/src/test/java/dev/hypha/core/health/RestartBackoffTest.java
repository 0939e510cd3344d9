package dev.hypha.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RestartBackoffTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @ParameterizedTest(name = "crash {0} waits {1} s")
    @CsvSource({
        "-1, 0", "0, 0", "1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "6, 300", "7, 300", "64, 300",
        "2147483647, 300"
    })
    void delayDoublesFromTenSecondsUpToFiveMinutes(int crashes, long seconds) {
        assertThat(RestartBackoff.delay(crashes)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{0} crashes before, ran {1} s -> {2}")
    @CsvSource({
        "0, 1, 1",
        "1, 5, 2",
        "5, 599, 6",
        "5, 600, 1",   // ten minutes of running ends the streak
        "9, 3600, 1",
        "-3, 1, 1",
    })
    void streakGrowsUntilARunOfTenMinutes(int before, long ranSeconds, int after) {
        assertThat(RestartBackoff.crashesAfterExit(before, T0, T0.plusSeconds(ranSeconds))).isEqualTo(after);
    }

    @ParameterizedTest(name = "exit + {1} s with {0} crashes: may restart = {2}, {3} s left")
    @CsvSource({
        "1, 0, false, 10",
        "1, 9, false, 1",
        "1, 10, true, 0",
        "3, 39, false, 1",
        "3, 40, true, 0",
        "8, 299, false, 1",
        "8, 301, true, 0",
        "0, 0, true, 0",
    })
    void restartIsAllowedOnceTheDelayHasPassed(int crashes, long afterSeconds, boolean may, long leftSeconds) {
        Instant now = T0.plusSeconds(afterSeconds);
        assertThat(RestartBackoff.mayRestart(now, T0, crashes)).isEqualTo(may);
        assertThat(RestartBackoff.remaining(now, T0, crashes)).isEqualTo(Duration.ofSeconds(leftSeconds));
        assertThat(RestartBackoff.restartAt(T0, crashes)).isEqualTo(T0.plus(RestartBackoff.delay(crashes)));
    }

    static Stream<Long> seeds() {
        return LongStream.range(0, 20).map(i -> 0x5EED_0000L + i).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void delayNeverShrinksAlongAStreakAndStaysWithinBounds(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        int crashes = 0;
        Instant started = T0;
        Duration last = Duration.ZERO;
        for (int step = 0; step < 200; step++) {
            long ran = random.nextLong(0, 900);
            Instant exited = started.plusSeconds(ran);
            int next = RestartBackoff.crashesAfterExit(crashes, started, exited);
            Duration delay = RestartBackoff.delay(next);
            assertThat(delay).as("seed %d step %d", seed, step)
                    .isBetween(RestartBackoff.INITIAL, RestartBackoff.MAX);
            if (next > 1) {
                assertThat(delay).as("seed %d step %d: streak continued", seed, step).isGreaterThanOrEqualTo(last);
            } else {
                assertThat(delay).as("seed %d step %d: streak reset", seed, step).isEqualTo(RestartBackoff.INITIAL);
            }
            crashes = next;
            last = delay;
            started = RestartBackoff.restartAt(exited, next);
        }
    }
}
