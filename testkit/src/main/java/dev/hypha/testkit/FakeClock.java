package dev.hypha.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A settable {@link InstantSource}: time stands still until a test or a simulator moves it.
 *
 * <p>Code under test takes an InstantSource instead of reading the system clock, so tests can
 * travel in time without sleeping. Thread-safe: the instant is published with a volatile write.
 */
public final class FakeClock implements InstantSource {
    /** A fixed, readable start so that logs of different runs line up. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

    private volatile Instant now;

    public FakeClock() {
        this(DEFAULT_START);
    }

    public FakeClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return now.toEpochMilli();
    }

    /** Moves the clock to {@code instant}; it may not go back. */
    public synchronized void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException("the clock cannot go back from " + now + " to " + instant);
        }
        now = instant;
    }

    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) throw new IllegalArgumentException("cannot advance by a negative " + duration);
        now = now.plus(duration);
    }
}
