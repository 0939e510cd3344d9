package dev.hypha.core.economy;

/** An entry the ledger cannot accept; the message says which entry and why. */
public class LedgerException extends IllegalArgumentException {
    public LedgerException(String message) {
        super(message);
    }
}
