package dev.hypha.model.economy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;
import java.time.Instant;

/**
 * One double-entry transaction of the mutual-credit ledger: {@code amount} micro-credits leave
 * {@code debitMember}'s balance and arrive on {@code creditMember}'s.
 *
 * <p>Entries are never edited: a wrong entry is undone by a {@link EntryKind#COMPENSATION} entry
 * that moves the same amount back. Because every entry takes from one member exactly what it gives
 * to another, the balances of all members always sum to zero.
 *
 * @param id           unique and deterministic where the entry can be replayed (settlements use
 *                     {@code settle:<instance>:<periodStart>}), so posting it twice adds nothing
 * @param amount       micro-credits, always positive (direction is given by debit and credit)
 * @param instanceId   the settled instance (settlements; optional elsewhere)
 * @param periodStart  start of the settled period, inclusive (settlements; optional elsewhere)
 * @param periodEnd    end of the settled period, exclusive (settlements; optional elsewhere)
 * @param reason       a sentence for people, e.g. what was used and at which prices
 * @param timestamp    when the entry took effect (for settlements: the end of the period, so a
 *                     replayed settlement is identical to the first)
 * @param compensates  the id of the entry this one reverses (compensations only)
 */
public record LedgerEntry(
        String id,
        EntryKind kind,
        String debitMember,
        String creditMember,
        long amount,
        String instanceId,
        Instant periodStart,
        Instant periodEnd,
        String reason,
        Instant timestamp,
        String compensates) {

    public LedgerEntry {
        Validation.nonBlank("ledger entry id", id);
        if (kind == null) throw new InvalidSpecException("ledger entry " + id + ": kind is required");
        Validation.name("debit_member", debitMember);
        Validation.name("credit_member", creditMember);
        if (debitMember.equals(creditMember)) {
            throw new InvalidSpecException("ledger entry " + id + " must move credit between two different members,"
                    + " but both sides are '" + debitMember + "'");
        }
        if (amount <= 0) {
            throw new InvalidSpecException("ledger entry " + id + ": amount must be a positive number of micro-credits,"
                    + " got " + amount);
        }
        if (timestamp == null) throw new InvalidSpecException("ledger entry " + id + ": timestamp is required");
        reason = reason == null ? "" : reason;
        if ((periodStart == null) != (periodEnd == null)) {
            throw new InvalidSpecException("ledger entry " + id + ": period_start and period_end come together");
        }
        if (periodStart != null && !periodStart.isBefore(periodEnd)) {
            throw new InvalidSpecException("ledger entry " + id + ": period_start " + periodStart
                    + " must be before period_end " + periodEnd);
        }
        switch (kind) {
            case SETTLEMENT -> {
                Validation.nonBlank("ledger entry " + id + ": instance_id", instanceId);
                if (periodStart == null) {
                    throw new InvalidSpecException("ledger entry " + id + ": a settlement needs its period");
                }
                if (compensates != null) {
                    throw new InvalidSpecException("ledger entry " + id + ": only a compensation may name an entry it compensates");
                }
            }
            case MANUAL_ADJUSTMENT -> {
                if (compensates != null) {
                    throw new InvalidSpecException("ledger entry " + id + ": only a compensation may name an entry it compensates");
                }
            }
            case COMPENSATION -> Validation.nonBlank("ledger entry " + id + ": compensates", compensates);
        }
    }
}
