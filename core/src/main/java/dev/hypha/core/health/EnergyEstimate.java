package dev.hypha.core.health;

/**
 * A power figure in watts with where it came from.
 *
 * @param estimated true when it comes from the node's power profile (no hardware counter), false
 *                  when a RAPL energy counter measured the node and only the split is modelled
 */
public record EnergyEstimate(double watts, boolean estimated) {
    public EnergyEstimate {
        if (!(watts >= 0) || Double.isInfinite(watts)) {
            throw new IllegalArgumentException("watts must be a finite number >= 0, got " + watts);
        }
    }
}
