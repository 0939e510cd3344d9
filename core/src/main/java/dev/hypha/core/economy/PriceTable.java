package dev.hypha.core.economy;

import dev.hypha.model.InvalidSpecException;
import java.math.BigInteger;
import java.time.Duration;

/**
 * The published prices that turn measured resource-seconds into micro-credits.
 *
 * <p>Prices are integers of micro-credits per unit-second so that a charge is exact integer
 * arithmetic. Units: a cpu core-second is 1000 millicore-seconds (1000 ms of cpu time); a
 * GB-second of memory or disk is 1024 MB held for one second.
 *
 * <p><b>Rounding rule.</b> A charge is computed as one exact fraction over all three resources and
 * rounded down (floor) once, at the end. Fractions of a micro-credit from cpu, memory and disk
 * therefore add up before rounding: within one settlement no remainder is lost to per-resource
 * rounding, and the member paying is never charged more than the exact price. What is dropped is
 * less than one micro-credit per settlement.
 *
 * @param microPerCpuCoreSecond      micro-credits for one core busy for one second
 * @param microPerMemoryGbSecond     micro-credits for 1 GB (1024 MB) of memory held for one second
 * @param microPerDiskGbSecond       micro-credits for 1 GB (1024 MB) of disk held for one second
 */
public record PriceTable(long microPerCpuCoreSecond, long microPerMemoryGbSecond, long microPerDiskGbSecond) {
    /**
     * Defaults: a core-hour costs 0.9 credits (250 micro x 3600 s), a GB-hour of memory 0.18 credits
     * and a GB-hour of disk 0.0036 credits. With the default credit limits (soft -1,000, hard -5,000
     * credits) a member that takes four cores around the clock without giving reaches its soft limit
     * after about twelve days: long enough for a new member's nodes to start giving back.
     */
    public static final PriceTable DEFAULT = new PriceTable(250, 50, 1);

    /** Largest accepted price: 1,000 credits per unit-second, far above any real price. */
    public static final long MAX_PRICE = 1_000L * Credits.MICRO_PER_CREDIT;

    private static final BigInteger MILLIS_PER_SECOND = BigInteger.valueOf(1_000);
    private static final BigInteger MB_PER_GB = BigInteger.valueOf(1_024);
    /** Common denominator of the three terms: cpu is in milli-units, memory and disk in MB x ms. */
    private static final BigInteger DENOMINATOR = MILLIS_PER_SECOND.multiply(MB_PER_GB);

    public PriceTable {
        check("micro_per_cpu_core_second", microPerCpuCoreSecond);
        check("micro_per_memory_gb_second", microPerMemoryGbSecond);
        check("micro_per_disk_gb_second", microPerDiskGbSecond);
    }

    private static void check(String field, long price) {
        if (price < 0 || price > MAX_PRICE) {
            throw new InvalidSpecException(field + " must be between 0 and " + MAX_PRICE + " micro-credits, got " + price);
        }
    }

    /**
     * The price of {@code usage} held for {@code period}, in micro-credits, rounded down once
     * (see the class comment).
     *
     * <pre>
     * exact = cpuTimeMillis x cpuPrice / 1000
     *       + memoryMbAverage x periodMillis x memoryPrice / (1024 x 1000)
     *       + diskMb x periodMillis x diskPrice / (1024 x 1000)
     * charge = floor(exact)
     * </pre>
     *
     * @throws ArithmeticException when the charge does not fit in a long (no real usage comes near)
     */
    public long charge(MeasuredUsage usage, Duration period) {
        if (period.isNegative()) throw new InvalidSpecException("a settlement period must not be negative, got " + period);
        BigInteger periodMillis = BigInteger.valueOf(period.toMillis());
        BigInteger numerator = BigInteger.valueOf(usage.cpuTimeMillis())
                .multiply(BigInteger.valueOf(microPerCpuCoreSecond)).multiply(MB_PER_GB)
                .add(BigInteger.valueOf(usage.memoryMbAverage()).multiply(periodMillis)
                        .multiply(BigInteger.valueOf(microPerMemoryGbSecond)))
                .add(BigInteger.valueOf(usage.diskMb()).multiply(periodMillis)
                        .multiply(BigInteger.valueOf(microPerDiskGbSecond)));
        // Non-negative operands: BigInteger.divide truncates toward zero, which is floor here.
        return numerator.divide(DENOMINATOR).longValueExact();
    }
}
