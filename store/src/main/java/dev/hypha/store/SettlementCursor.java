package dev.hypha.store;

import java.time.Instant;
import java.util.Objects;

/**
 * How far one placed instance's measured usage has been settled into the ledger: every period that
 * ends at or before {@code settledThrough} is done.
 *
 * <p>Why it is stored: the settlement loop reads it to know which periods are still open, so a
 * leader that was down for a few periods catches up, and a replay after a crash starts after the
 * last settled period. It is written in the same transaction as the ledger entries it accounts for,
 * so the two never disagree.
 */
public record SettlementCursor(String instanceId, Instant settledThrough) {
    public SettlementCursor {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(settledThrough, "settledThrough");
    }
}
