package dev.hypha.core.schedule;

/** A filter plugin's verdict on one node. */
public sealed interface FilterResult permits FilterResult.Fits, FilterResult.Rejected {
    Fits FITS = new Fits();

    static FilterResult fits() {
        return FITS;
    }

    static FilterResult rejected(String reason) {
        return new Rejected(reason);
    }

    record Fits() implements FilterResult {}

    /** @param reason a named, human-readable reason, counted per decision (e.g. "insufficient memory") */
    record Rejected(String reason) implements FilterResult {}
}
