package dev.hypha.model;

/** A node's power draw at idle and at full cpu, for the energy model where RAPL is absent. */
public record PowerProfile(double idleWatts, double maxWatts) {
    public static final PowerProfile DEFAULT = new PowerProfile(40, 180);

    public PowerProfile {
        if (idleWatts < 0 || maxWatts < idleWatts) {
            throw new InvalidSpecException("power must satisfy 0 <= idle <= max, got idle=" + idleWatts + " max=" + maxWatts);
        }
    }
}
