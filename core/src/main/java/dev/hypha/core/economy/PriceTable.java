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
        long exact = exactInLong(usage, period.toMillis());
        if (exact >= 0) return exact;
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

    /**
     * The same charge computed in longs, or -1 when an intermediate product or sum would overflow
     * (then the caller computes it exactly with BigInteger). Every real settlement fits, and
     * settling every running replica every hour made the BigInteger version a tenth of the
     * simulator's allocation.
     */
    private long exactInLong(MeasuredUsage usage, long periodMillis) {
        try {
            long numerator = Math.addExact(Math.addExact(
                    Math.multiplyExact(Math.multiplyExact(usage.cpuTimeMillis(), microPerCpuCoreSecond), 1_024L),
                    Math.multiplyExact(Math.multiplyExact(usage.memoryMbAverage(), periodMillis), microPerMemoryGbSecond)),
                    Math.multiplyExact(Math.multiplyExact(usage.diskMb(), periodMillis), microPerDiskGbSecond));
            // Non-negative operands: division truncates toward zero, which is floor here.
            return numerator < 0 ? -1 : numerator / (1_000L * 1_024L);
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }
}
