package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hypha.model.InvalidSpecException;
import java.util.Locale;

/**
 * Whether the cluster currently keeps an intent true. {@link Intent#why()} says why when it is
 * not {@link #SATISFIED}.
 */
public enum IntentStatus {
    /** Every planned replica runs where the constraints allow, within budget. */
    SATISFIED,
    /** A plan exists within the constraints, but what runs falls short of it (replicas missing, a node lost …). */
    DEGRADED,
    /** No plan can meet the hard constraints on the cluster as it is now. */
    UNSATISFIABLE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static IntentStatus parse(String s) {
        for (IntentStatus st : values()) {
            if (st.wire().equals(s)) return st;
        }
        throw new InvalidSpecException("intent status '" + s + "' is not one of satisfied, degraded, unsatisfiable");
    }
}
