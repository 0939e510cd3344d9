package dev.hypha.core.economy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Turns one instance's measured usage over one period into at most one ledger entry: the host's
 * member is credited, the workload's member debited.
 *
 * <p>The entry's id is {@code settle:<instance>:<periodStart>} and its timestamp is the period's
 * end, so settling the same instance and period again yields an identical entry, which
 * {@link Ledger#post} ignores: settlement is idempotent per (instance, period). A settlement that
 * was wrong is compensated, never re-posted under the same id; a correction is a manual adjustment.
 */
public final class Settlement {
    private Settlement() {}

    /** The deterministic id of the settlement of {@code instanceId} for the period starting at {@code period.start()}. */
    public static String entryId(String instanceId, SettlementPeriod period) {
        return "settle:" + instanceId + ":" + period.start();
    }

    /**
     * Settles {@code usage} of the pledge's instance over {@code period} at {@code prices}.
     *
     * @return the entry, or empty when no credit moves: the host's member runs its own work, or
     *         the usage is worth less than one micro-credit
     */
    public static Optional<LedgerEntry> settle(Pledge pledge, SettlementPeriod period, MeasuredUsage usage,
                                               PriceTable prices) {
        if (pledge.instanceId() == null) {
            throw new InvalidSpecException("pledge " + pledge.id() + " is a manual pledge without an instance:"
                    + " only placed instances are settled from measured usage");
        }
        if (!pledge.crossesMembers()) return Optional.empty();
        long amount = prices.charge(usage, period.length());
        if (amount == 0) return Optional.empty();
        String reason = "node " + pledge.nodeId() + " hosted instance " + pledge.instanceId() + " of workload "
                + pledge.workload() + " for " + period.length().toMillis() + " ms: cpu "
                + BigDecimal.valueOf(usage.cpuTimeMillis(), 3).stripTrailingZeros().toPlainString() + " core-s, memory " + usage.memoryMbAverage()
                + " MB average, disk " + usage.diskMb() + " MB";
        return Optional.of(new LedgerEntry(entryId(pledge.instanceId(), period), EntryKind.SETTLEMENT,
                pledge.workloadMember(), pledge.hostMember(), amount, pledge.instanceId(), period.start(),
                period.end(), reason, period.end(), null));
    }
}
