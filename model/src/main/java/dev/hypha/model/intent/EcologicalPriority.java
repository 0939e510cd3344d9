package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hypha.model.InvalidSpecException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much an intent cares about the carbon its replicas cause; the planner turns it into weights
 * of its node ranking (cost, emissions, grid carbon intensity, ecological reputation).
 */
public enum EcologicalPriority {
    /** Rank nodes by cost alone. */
    NONE,
    /** Rank mostly by the replica's estimated CO2 per hour (grid carbon intensity × the node's power), then cost. */
    PREFER_LOW_CARBON,
    /** Rank mostly by the grid's carbon intensity and the node's ecological reputation, cost last. */
    PREFER_RENEWABLE_ENERGY;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EcologicalPriority parse(String s) {
        for (EcologicalPriority p : values()) {
            if (p.wire().equals(s)) return p;
        }
        throw new InvalidSpecException("ecological_priority '" + s + "' is not one of " + Arrays.stream(values())
                .map(EcologicalPriority::wire).collect(Collectors.joining(", ")));
    }
}
