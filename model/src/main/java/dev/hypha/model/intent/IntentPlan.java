package dev.hypha.model.intent;

import dev.hypha.model.InvalidSpecException;
import java.util.List;

/**
 * The planner's answer for an intent: which nodes get a replica, and what that costs in money and
 * carbon per hour.
 *
 * <p>The totals are the sums of the placements, added in list order ({@link #of} computes them),
 * so the numbers add up; round them only for display. The constructor rejects totals that do not
 * match their placements.
 *
 * @param replicas         how many replicas: the number of placements
 * @param placements       one entry per replica; a node appears once per replica it hosts
 * @param unmetPreferences soft constraints the plan could not honour, each with why
 */
public record IntentPlan(
        int replicas,
        List<PlannedPlacement> placements,
        double estimatedCostPerHour,
        double estimatedCo2GramsPerHour,
        List<UnmetPreference> unmetPreferences) {

    public IntentPlan {
        placements = placements == null ? List.of() : List.copyOf(placements);
        unmetPreferences = unmetPreferences == null ? List.of() : List.copyOf(unmetPreferences);
        if (replicas != placements.size()) {
            throw new InvalidSpecException("plan has replicas " + replicas + " but " + placements.size()
                    + " placements");
        }
        check("estimated_cost_per_hour", estimatedCostPerHour, totalCost(placements));
        check("estimated_co2_grams_per_hour", estimatedCo2GramsPerHour, totalCo2(placements));
    }

    /** The plan of these placements, its totals summed from them. */
    public static IntentPlan of(List<PlannedPlacement> placements, List<UnmetPreference> unmetPreferences) {
        return new IntentPlan(placements.size(), placements, totalCost(placements), totalCo2(placements),
                unmetPreferences);
    }

    /** A plan with no replica, e.g. the best possible when no node can take one. */
    public static IntentPlan empty(List<UnmetPreference> unmetPreferences) {
        return of(List.of(), unmetPreferences);
    }

    public static double totalCost(List<PlannedPlacement> placements) {
        double sum = 0;
        for (PlannedPlacement p : placements) sum += p.costPerHour();
        return sum;
    }

    public static double totalCo2(List<PlannedPlacement> placements) {
        double sum = 0;
        for (PlannedPlacement p : placements) sum += p.co2GramsPerHour();
        return sum;
    }

    /** The distinct nodes of the plan, in placement order. */
    public List<String> nodeIds() {
        return placements.stream().map(PlannedPlacement::nodeId).distinct().toList();
    }

    /** The distinct regions of the plan, in placement order. */
    public List<String> regions() {
        return placements.stream().map(PlannedPlacement::region).distinct().toList();
    }

    // A total read back from JSON equals the sum exactly; the tolerance only forgives a hand-written
    // total that was added up in another order.
    private static void check(String field, double total, double sum) {
        if (!(Math.abs(total - sum) <= 1e-9 * Math.max(1, Math.abs(sum)))) {
            throw new InvalidSpecException(field + " is " + total + " but the placements add up to " + sum);
        }
    }
}
