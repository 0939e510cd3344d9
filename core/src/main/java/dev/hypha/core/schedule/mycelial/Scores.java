package dev.hypha.core.schedule.mycelial;

/** Small pure helpers shared by the mycelial plugins. */
final class Scores {
    private Scores() {}

    /** {@code v} clamped into 0..1; NaN (never expected) becomes 0 so a bad input cannot win. */
    static double unit(double v) {
        if (Double.isNaN(v)) return 0;
        return Math.max(0, Math.min(1, v));
    }

    /** {@code ref / (ref + x)}: 1 at zero, 0.5 at the reference, toward 0 as {@code x} grows. */
    static double inverse(double x, double ref) {
        return unit(ref / (ref + Math.max(0, x)));
    }
}
