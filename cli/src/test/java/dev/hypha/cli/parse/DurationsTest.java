package dev.hypha.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "500ms, 500",
            "10s, 10000",
            "5m, 300000",
            "1h, 3600000",
            "1m30s, 90000",
            "1h2m3s4ms, 3723004",
            "1.5s, 1500",
            "0.5m, 30000",
            "0, 0",
            "0s, 0",
            "' 2m ', 120000",
    })
    void parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0} fails: {1}")
    @CsvSource(delimiter = '|', value = {
            "30      | has no unit: write 30s, 30m or 30ms",
            "10x     | is not a duration",
            "s       | is not a duration",
            "1m 30s  | is not a duration",
            "-5s     | negative",
            "''      | empty",
            "5d      | is not a duration",
    })
    void badDurationSaysWhy(String text, String why) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "500, 500ms", "120000, 2m", "90000, 1m30s", "3723004, 1h2m3s4ms"})
    void formats(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    static Stream<Arguments> seeds() {
        return LongStream.of(3, 99, 123_456).mapToObj(Arguments::of);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void formattedDurationsParseBack(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int i = 0; i < 2_000; i++) {
            Duration d = Duration.ofMillis(random.nextLong(0, 10L * 24 * 3600 * 1000));
            assertThat(Durations.parse(Durations.format(d))).as("seed %d, %s", seed, d).isEqualTo(d);
        }
    }
}
