package dev.hypha.core.economy;

import dev.hypha.model.economy.LedgerEntry;
import java.util.List;

/**
 * The result of posting entries to a {@link Ledger}: the new ledger, the entries it gained (the
 * ones the caller must write to the store) and the ones it ignored because their id was already
 * there.
 *
 * @param added   entries appended, in order
 * @param ignored entries whose id the ledger already held; the first entry with an id stays
 */
public record Posting(Ledger ledger, List<LedgerEntry> added, List<LedgerEntry> ignored) {
    public Posting {
        added = List.copyOf(added);
        ignored = List.copyOf(ignored);
    }

    /**
     * Ignored entries whose content differs from the entry already stored under their id: a replay
     * that measured something else, worth a log line (the stored entry stays; correct it with a
     * compensation or an adjustment).
     */
    public List<LedgerEntry> conflicts() {
        return ignored.stream().filter(e -> !e.equals(ledger.entry(e.id()).orElseThrow())).toList();
    }
}
