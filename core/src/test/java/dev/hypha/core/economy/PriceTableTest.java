package dev.hypha.core.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.InvalidSpecException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    static Stream<Arguments> charges() {
        PriceTable d = PriceTable.DEFAULT; // 250 / 50 / 1 micro-credits per unit-second
        return Stream.of(
                // prices, cpu ms, memory MB avg, disk MB, period ms, expected micro-credits, why
                Arguments.of(d, 1_000, 0, 0, 1_000, 250, "one core-second"),
                Arguments.of(d, 1_000, 1_024, 0, 1_000, 300, "one core-second and one GB-second of memory"),
                Arguments.of(d, 0, 0, 1_024, 1_000, 1, "one GB-second of disk"),
                Arguments.of(d, 1, 0, 0, 1_000, 0, "a millisecond of cpu is worth a quarter micro-credit: floor"),
                Arguments.of(d, 3, 0, 0, 1_000, 0, "0.75 rounds down"),
                Arguments.of(d, 4, 0, 0, 1_000, 1, "exactly one"),
                Arguments.of(d, 1, 1_024, 0, 15, 1,
                        "0.25 cpu + 0.75 memory = 1: fractions add before rounding (per-part floors would give 0)"),
                Arguments.of(d, 45_000, 512, 1_024, 30_000, 11_250 + 750 + 30,
                        "1.5 cores, 512 MB and 1 GB of disk for 30 s"),
                Arguments.of(d, 0, 0, 0, 30_000, 0, "nothing used"),
                Arguments.of(d, 3_600_000, 0, 0, 3_600_000, 900_000, "a core-hour costs 0.9 credits"),
                Arguments.of(new PriceTable(0, 0, 0), 45_000, 512, 1_024, 30_000, 0, "free"),
                Arguments.of(new PriceTable(PriceTable.MAX_PRICE, PriceTable.MAX_PRICE, PriceTable.MAX_PRICE),
                        1_024_000L * 3_600, 0, 0, 3_600_000, 3_686_400_000_000_000L,
                        "1024 cores for an hour at the highest price still fits a long"));
    }

    @ParameterizedTest(name = "{6}")
    @MethodSource("charges")
    void chargeIsExactThenFloored(PriceTable prices, long cpuMillis, long memoryMb, long diskMb, long periodMillis,
                                  long expected, String why) {
        long charge = prices.charge(new MeasuredUsage(cpuMillis, memoryMb, diskMb), Duration.ofMillis(periodMillis));
        assertThat(charge).as(why).isEqualTo(expected);
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    /** The charge is floor of the exact sum, never below the sum of per-part floors, never 1 above the exact price. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundingLosesLessThanOneMicroCreditAndNothingBetweenParts(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            PriceTable prices = new PriceTable(rnd.nextLong(0, 10_000), rnd.nextLong(0, 10_000), rnd.nextLong(0, 100));
            MeasuredUsage u = new MeasuredUsage(rnd.nextLong(0, 10_000_000), rnd.nextLong(0, 65_536),
                    rnd.nextLong(0, 1_000_000));
            long periodMillis = rnd.nextLong(1, 3_600_000);
            long charge = prices.charge(u, Duration.ofMillis(periodMillis));

            // Exact, independently: the denominators 1000 and 1024000 give terminating decimals.
            BigDecimal cpu = BigDecimal.valueOf(u.cpuTimeMillis()).multiply(BigDecimal.valueOf(prices.microPerCpuCoreSecond()))
                    .divide(BigDecimal.valueOf(1_000));
            BigDecimal mem = BigDecimal.valueOf(u.memoryMbAverage()).multiply(BigDecimal.valueOf(periodMillis))
                    .multiply(BigDecimal.valueOf(prices.microPerMemoryGbSecond())).divide(BigDecimal.valueOf(1_024_000));
            BigDecimal disk = BigDecimal.valueOf(u.diskMb()).multiply(BigDecimal.valueOf(periodMillis))
                    .multiply(BigDecimal.valueOf(prices.microPerDiskGbSecond())).divide(BigDecimal.valueOf(1_024_000));
            BigDecimal exact = cpu.add(mem).add(disk);
            long partFloors = floor(cpu) + floor(mem) + floor(disk);

            assertThat(charge).as("seed %d case %d: %s %s %d ms", seed, i, prices, u, periodMillis)
                    .isEqualTo(floor(exact))
                    .isGreaterThanOrEqualTo(partFloors)
                    .isLessThanOrEqualTo(partFloors + 2);
            assertThat(exact.subtract(BigDecimal.valueOf(charge))).isLessThan(BigDecimal.ONE);
        }
    }

    /**
     * Usage near the size where the exact sum no longer fits a long (the charge is then computed
     * with BigInteger): the charge is still the exact floor, or an ArithmeticException when the
     * charge itself does not fit.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void largeChargesAreExactOnEitherSideOfTheLongBoundary(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            PriceTable prices = new PriceTable(rnd.nextLong(0, PriceTable.MAX_PRICE + 1),
                    rnd.nextLong(0, PriceTable.MAX_PRICE + 1), rnd.nextLong(0, PriceTable.MAX_PRICE + 1));
            MeasuredUsage u = new MeasuredUsage(rnd.nextLong(0, 1L << rnd.nextInt(1, 50)),
                    rnd.nextLong(0, 1L << rnd.nextInt(1, 30)), rnd.nextLong(0, 1L << rnd.nextInt(1, 30)));
            long periodMillis = rnd.nextLong(1, 1L << rnd.nextInt(1, 40));
            BigDecimal exact = BigDecimal.valueOf(u.cpuTimeMillis())
                    .multiply(BigDecimal.valueOf(prices.microPerCpuCoreSecond())).divide(BigDecimal.valueOf(1_000))
                    .add(BigDecimal.valueOf(u.memoryMbAverage()).multiply(BigDecimal.valueOf(periodMillis))
                            .multiply(BigDecimal.valueOf(prices.microPerMemoryGbSecond()))
                            .divide(BigDecimal.valueOf(1_024_000)))
                    .add(BigDecimal.valueOf(u.diskMb()).multiply(BigDecimal.valueOf(periodMillis))
                            .multiply(BigDecimal.valueOf(prices.microPerDiskGbSecond()))
                            .divide(BigDecimal.valueOf(1_024_000)));
            java.math.BigInteger expected = exact.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            String what = "seed " + seed + " case " + i + ": " + prices + " " + u + " " + periodMillis + " ms";
            if (expected.bitLength() < 64) {
                assertThat(prices.charge(u, Duration.ofMillis(periodMillis))).as(what).isEqualTo(expected.longValue());
            } else {
                assertThatThrownBy(() -> prices.charge(u, Duration.ofMillis(periodMillis))).as(what)
                        .isInstanceOf(ArithmeticException.class);
            }
        }
    }

    private static long floor(BigDecimal v) {
        return v.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    @Test
    void aChargeTooLargeForALongFailsInsteadOfWrapping() {
        PriceTable max = new PriceTable(PriceTable.MAX_PRICE, 0, 0);
        assertThatThrownBy(() -> max.charge(new MeasuredUsage(Long.MAX_VALUE, 0, 0), Duration.ofSeconds(1)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void pricesAreValidated() {
        assertThatThrownBy(() -> new PriceTable(-1, 0, 0)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("micro_per_cpu_core_second must be between 0 and 1000000000 micro-credits, got -1");
        assertThatThrownBy(() -> new PriceTable(0, PriceTable.MAX_PRICE + 1, 0))
                .hasMessageStartingWith("micro_per_memory_gb_second must be between");
        assertThatThrownBy(() -> new MeasuredUsage(-5, 0, 0))
                .hasMessage("measured usage must not be negative, got cpu_time_millis=-5 memory_mb_average=0 disk_mb=0");
    }

    @Test
    void creditsFormatExactlyForPeople() {
        assertThat(Credits.format(-1_234_500_000L)).isEqualTo("-1234.5");
        assertThat(Credits.format(Credits.ofCredits(-5_000))).isEqualTo("-5000");
        assertThat(Credits.format(1)).isEqualTo("0.000001");
        assertThat(Credits.format(0)).isEqualTo("0");
        assertThatThrownBy(() -> Credits.ofCredits(Long.MAX_VALUE / 10)).isInstanceOf(ArithmeticException.class);
    }
}
