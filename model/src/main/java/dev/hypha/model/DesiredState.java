package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the control plane wants an agent to do with an assigned instance. */
public enum DesiredState {
    RUN, STOP;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DesiredState parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
