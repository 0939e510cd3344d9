package dev.hypha.core.schedule.mycelial;

/** Small pure helpers shared by the mycelial plugins. */
final class Scores {
    private Scores() {}

    /** {@code v} clamped into 0..1; NaN (never expected) becomes 0 so a bad input cannot win, and -0.0 becomes 0.0. */
    static double unit(double v) {
        // Comparisons rather than Math.max/min: the same values (NaN and -0.0 fail "> 0"), fewer instructions.
        return v > 0 ? (v < 1 ? v : 1) : 0;
    }

    /** {@code ref / (ref + x)}: 1 at zero, 0.5 at the reference, toward 0 as {@code x} grows. */
    static double inverse(double x, double ref) {
        return unit(ref / (ref + Math.max(0, x)));
    }
}
