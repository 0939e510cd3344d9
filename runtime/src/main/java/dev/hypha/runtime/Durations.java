package dev.hypha.runtime;

import java.time.Duration;

/** Formats durations the way error messages state them ("250 ms", "10 s"). */
final class Durations {
    private Durations() {}

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000 || ms % 1000 != 0) return ms + " ms";
        return (ms / 1000) + " s";
    }
}
