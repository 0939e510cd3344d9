package dev.hypha.core.economy;

import java.math.BigDecimal;

/**
 * Conversions between credits and the micro-credits the ledger stores.
 *
 * <p>Balances are integers so that sums are exact: a ledger of integers sums to exactly zero,
 * a ledger of doubles only approximately.
 */
public final class Credits {
    /** Micro-credits in one credit. */
    public static final long MICRO_PER_CREDIT = 1_000_000L;

    private Credits() {}

    /** {@code credits} whole credits in micro-credits; throws on overflow. */
    public static long ofCredits(long credits) {
        return Math.multiplyExact(credits, MICRO_PER_CREDIT);
    }

    /** Micro-credits as credits for people: {@code -1234500000} is {@code "-1234.5"}, exact and without exponent. */
    public static String format(long micro) {
        return BigDecimal.valueOf(micro, 6).stripTrailingZeros().toPlainString();
    }
}
