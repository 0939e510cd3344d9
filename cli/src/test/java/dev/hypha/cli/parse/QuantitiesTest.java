package dev.hypha.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class QuantitiesTest {

    @ParameterizedTest(name = "cpu {0} = {1}m")
    @CsvSource({
            "250m, 250",
            "1m, 1",
            "0m, 0",
            "0.5, 500",
            ".5, 500",
            "2, 2000",
            "1.25, 1250",
            "0.001, 1",
            "2000m, 2000",
            "' 300m ', 300",
    })
    void cpuInMillicores(String text, long expected) {
        assertThat(Quantities.cpuMillicores(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "cpu {0} fails: {1}")
    @CsvSource(delimiter = '|', value = {
            "1x       | unknown unit 'x'",
            "250M     | unknown unit 'M'",
            "0.0005   | finer than one millicore",
            "1.5m     | finer than one millicore",
            "-1       | negative",
            "abc      | not a quantity",
            "1..5     | not a quantity",
            "''       | empty",
            "99999999999999999999 | too large",
    })
    void badCpuSaysWhy(String text, String why) {
        assertThatThrownBy(() -> Quantities.cpuMillicores(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why)
                .hasMessageStartingWith("cpu");
    }

    @ParameterizedTest(name = "memory {0} = {1}Mi")
    @CsvSource({
            "64Mi, 64",
            "1Gi, 1024",
            "1.5Gi, 1536",
            "2Ti, 2097152",
            "512M, 489",
            "1G, 954",
            "1024Ki, 1",
            "1Ki, 1",
            "1000K, 1",
            "1000k, 1",
            "128, 128",
            "0, 0",
            "0Mi, 0",
    })
    void memoryInMib(String text, long expected) {
        assertThat(Quantities.memoryMib(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "memory {0} fails: {1}")
    @CsvSource(delimiter = '|', value = {
            "512m   | unknown unit 'm'",
            "64MB   | unknown unit 'MB'",
            "1.5    | fraction of a MiB",
            "-64Mi  | negative",
            "Mi     | not a quantity",
            "'   '  | empty",
    })
    void badMemorySaysWhy(String text, String why) {
        assertThatThrownBy(() -> Quantities.memoryMib(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why)
                .hasMessageStartingWith("memory");
    }

    @ParameterizedTest
    @CsvSource({"0, 0Mi", "64, 64Mi", "1024, 1Gi", "1536, 1536Mi", "1048576, 1Ti"})
    void formatsMib(long mib, String expected) {
        assertThat(Quantities.formatMib(mib)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0m", "250, 250m", "2000, 2", "1500, 1500m"})
    void formatsCpu(long millicores, String expected) {
        assertThat(Quantities.formatCpu(millicores)).isEqualTo(expected);
    }

    static Stream<Arguments> seeds() {
        return LongStream.of(1, 42, 2024, 7_777_777).mapToObj(Arguments::of);
    }

    /** Whatever amount is formatted, parsing the text gives the amount back. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void formattedQuantitiesParseBack(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int i = 0; i < 2_000; i++) {
            long millicores = random.nextLong(0, 1_024_001);
            long mib = random.nextLong(0, 16L * 1024 * 1024 + 1);
            assertThat(Quantities.cpuMillicores(Quantities.formatCpu(millicores)))
                    .as("seed %d, cpu %d", seed, millicores).isEqualTo(millicores);
            assertThat(Quantities.memoryMib(Quantities.formatMib(mib)))
                    .as("seed %d, memory %d", seed, mib).isEqualTo(mib);
            assertThat(Quantities.memoryMib(mib + "Mi")).as("seed %d", seed).isEqualTo(mib);
        }
    }
}
