package dev.hypha.core.economy;

import dev.hypha.model.InvalidSpecException;
import java.time.Duration;
import java.time.Instant;

/**
 * A half-open stretch of time {@code [start, end)} over which one instance's usage is settled.
 *
 * <p>Periods are aligned to multiples of the settlement interval since the epoch, so every server
 * (and the same server after a restart) cuts time at the same instants: the settlement id, made
 * from the instance and the period start, is then the same on every replay.
 */
public record SettlementPeriod(Instant start, Instant end) {
    public SettlementPeriod {
        if (start == null || end == null) throw new InvalidSpecException("a settlement period needs a start and an end");
        if (!start.isBefore(end)) {
            throw new InvalidSpecException("a settlement period must end after it starts, got " + start + " .. " + end);
        }
    }

    /** The aligned period of length {@code interval} that contains {@code at}. */
    public static SettlementPeriod containing(Instant at, Duration interval) {
        long step = intervalMillis(interval);
        long start = Math.floorDiv(at.toEpochMilli(), step) * step;
        return new SettlementPeriod(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + step));
    }

    /** The aligned period that follows this one, of length {@code interval}. */
    public SettlementPeriod next(Duration interval) {
        return new SettlementPeriod(end, end.plusMillis(intervalMillis(interval)));
    }

    /** This period cut short at {@code at} (an instance that stopped mid-period), or this period unchanged. */
    public SettlementPeriod endingAt(Instant at) {
        return at.isBefore(end) ? new SettlementPeriod(start, at) : this;
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    private static long intervalMillis(Duration interval) {
        long ms = interval.toMillis();
        if (ms <= 0) throw new InvalidSpecException("the settlement interval must be at least 1 ms, got " + interval);
        return ms;
    }
}
