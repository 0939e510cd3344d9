package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** When a container that exited is started again: as Kubernetes' pod restartPolicy. */
public enum RestartPolicy {
    ALWAYS("always"), ON_FAILURE("on-failure"), NEVER("never");

    private final String wire;

    RestartPolicy(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static RestartPolicy parse(String s) {
        for (RestartPolicy p : values()) {
            if (p.wire.equals(s) || p.name().equalsIgnoreCase(s)) return p;
        }
        throw new InvalidSpecException("restart_policy '" + s + "' is not one of always, on-failure, never");
    }

    /** Whether a container that exited with this code is restarted. */
    public boolean restarts(int exitCode) {
        return switch (this) {
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode != 0;
            case NEVER -> false;
        };
    }
}
