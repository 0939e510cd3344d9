package dev.hypha.model.economy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hypha.model.InvalidSpecException;
import java.util.Locale;

/** Why a ledger entry exists: settled usage, an administrator's adjustment, or the reversal of an earlier entry. */
public enum EntryKind {
    /** Usage of one instance over one period, valued by the price table (idempotent per instance and period). */
    SETTLEMENT,
    /** Credit moved by an administrator, e.g. a gift to a new member or a correction. */
    MANUAL_ADJUSTMENT,
    /** Reverses exactly one earlier entry; the ledger is append-only, so this is how an entry is undone. */
    COMPENSATION;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EntryKind parse(String s) {
        for (EntryKind k : values()) {
            if (k.wire().equals(s) || k.name().equals(s)) return k;
        }
        throw new InvalidSpecException("ledger entry kind '" + s
                + "' is not one of settlement, manual_adjustment, compensation");
    }
}
