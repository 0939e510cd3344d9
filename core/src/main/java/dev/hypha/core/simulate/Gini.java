package dev.hypha.core.simulate;

import java.util.Arrays;

/**
 * The Gini coefficient of values that may be negative, such as credit balances that sum to zero.
 *
 * <pre>
 *   G = sum over all pairs (i, j) of |b_i - b_j|  /  (2 n sum_i |b_i|)
 * </pre>
 *
 * <p>For non-negative values this is the usual Gini coefficient. With negative values the usual
 * denominator (twice n squared times the mean) is zero for a zero-sum ledger; dividing by the mean
 * absolute value instead is the normalisation of Raffinetti, Siletti and Vernizzi (2015), which keeps
 * G in 0..1 because {@code |b_i - b_j| <= |b_i| + |b_j|}. G is 0 when every member has the same
 * balance (including all zero), and grows as a few members hold the credit and the debt; like any
 * Gini it does not change when all balances are scaled by the same factor.
 *
 * <p>Computed in O(n log n): for values sorted ascending, the sum over pairs is
 * {@code 2 sum_k b_(k) (2k - n - 1)} with k counted from 1.
 */
public final class Gini {
    private Gini() {}

    /** G of {@code values}; 0 for no values or when every value is 0. */
    public static double of(long[] values) {
        int n = values.length;
        if (n == 0) return 0;
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        double pairs = 0;
        double absolute = 0;
        for (int k = 0; k < n; k++) {
            pairs += (double) sorted[k] * (2.0 * (k + 1) - n - 1);
            absolute += Math.abs((double) sorted[k]);
        }
        if (absolute == 0) return 0;
        return Math.max(0, Math.min(1, pairs / (n * absolute)));
    }
}
