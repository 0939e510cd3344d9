package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The life of one replica as the API reports it (INTERFACES.md). */
public enum InstanceState {
    PENDING, STARTING, RUNNING, RESTARTING, FAILED, STOPPING, STOPPED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static InstanceState parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidSpecException("instance state '" + s + "' is not known");
        }
    }

    /** Counts toward the replicas a workload has (it occupies, or will occupy, a slot). */
    public boolean isActive() {
        return this == PENDING || this == STARTING || this == RUNNING || this == RESTARTING;
    }

    public boolean isTerminal() {
        return this == FAILED || this == STOPPED;
    }
}
