package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Membership state of a node, as gossip (or, before gossip, its lease) reports it. */
public enum NodeState {
    ALIVE, SUSPECT, DEAD, LEFT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static NodeState parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
