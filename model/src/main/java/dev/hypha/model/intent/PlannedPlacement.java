package dev.hypha.model.intent;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;

/**
 * One replica of a plan: the node chosen for it and what it costs there.
 *
 * @param costPerHour     this replica's share of the node's price per hour
 * @param carbonIntensity the node's grid carbon intensity, g CO2 per kWh
 * @param co2GramsPerHour this replica's estimated emissions, g CO2 per hour
 */
public record PlannedPlacement(String nodeId, String region, double costPerHour, double carbonIntensity,
                               double co2GramsPerHour) {
    public PlannedPlacement {
        Validation.nonBlank("placements[].node_id", nodeId);
        Validation.nonBlank("placements[].region", region);
        nonNegative("cost_per_hour", costPerHour);
        nonNegative("carbon_intensity", carbonIntensity);
        nonNegative("co2_grams_per_hour", co2GramsPerHour);
    }

    private static void nonNegative(String field, double v) {
        if (!(v >= 0 && Double.isFinite(v))) {
            throw new InvalidSpecException("placements[]." + field + " must be a number of at least 0, got " + v);
        }
    }
}
