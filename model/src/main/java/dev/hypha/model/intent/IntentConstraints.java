package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;
import dev.hypha.model.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The limits an intent must stay within and the preferences it would like honoured.
 *
 * <p>Hard constraints ({@code min_replicas}, {@code max_replicas}, {@code max_cost_per_hour},
 * {@code required_regions}, {@code max_carbon_intensity}) make a plan infeasible when they cannot be
 * met; soft ones ({@code preferred_regions}, {@code ecological_priority}) only steer the choice of
 * nodes, and a plan lists the ones it could not honour. Absent numbers mean "no limit", except
 * the replica bounds, which {@link #resolvedFor(IntentGoal)} fills with the goal's defaults.
 *
 * @param minReplicas        fewest replicas acceptable; default 2 for a highly available service, else 1
 * @param maxReplicas        most replicas wanted; default max(min_replicas, 3) for a highly available
 *                           service, else min_replicas
 * @param maxCostPerHour     budget for all replicas together, in the cluster's currency per hour; absent = no budget
 * @param preferredRegions   soft: regions to place in when they have room and the budget allows
 * @param requiredRegions    hard: only nodes in these regions (empty = any region)
 * @param ecologicalPriority how strongly carbon weighs in the ranking of nodes
 * @param maxCarbonIntensity hard: only nodes whose electricity emits at most this many g CO2/kWh; absent = any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntentConstraints(
        Integer minReplicas,
        Integer maxReplicas,
        Double maxCostPerHour,
        List<String> preferredRegions,
        List<String> requiredRegions,
        EcologicalPriority ecologicalPriority,
        Double maxCarbonIntensity) {

    /** No constraint at all: every default applies. */
    public static final IntentConstraints NONE = new IntentConstraints(null, null, null, null, null, null, null);

    /** A highly available service needs a second replica to survive the loss of one node. */
    public static final int HIGHLY_AVAILABLE_MIN_REPLICAS = 2;
    /** Three replicas keep two running (still redundant) while one node is being replaced. */
    public static final int HIGHLY_AVAILABLE_DEFAULT_MAX_REPLICAS = 3;

    public IntentConstraints {
        if (minReplicas != null) Validation.range("min_replicas", minReplicas, 1, WorkloadSpec.MAX_REPLICAS);
        if (maxReplicas != null) Validation.range("max_replicas", maxReplicas, 1, WorkloadSpec.MAX_REPLICAS);
        if (minReplicas != null && maxReplicas != null && maxReplicas < minReplicas) {
            throw new InvalidSpecException("max_replicas (" + maxReplicas + ") must not be less than min_replicas ("
                    + minReplicas + ")");
        }
        nonNegative("max_cost_per_hour", maxCostPerHour);
        nonNegative("max_carbon_intensity", maxCarbonIntensity);
        preferredRegions = regions("preferred_regions", preferredRegions);
        requiredRegions = regions("required_regions", requiredRegions);
        if (!requiredRegions.isEmpty()) {
            List<String> unreachable = new ArrayList<>(preferredRegions);
            unreachable.removeAll(requiredRegions);
            if (!unreachable.isEmpty()) {
                throw new InvalidSpecException("preferred_regions " + unreachable + " are outside required_regions "
                        + requiredRegions + ", so no replica could ever go there");
            }
        }
        ecologicalPriority = ecologicalPriority == null ? EcologicalPriority.NONE : ecologicalPriority;
    }

    /**
     * These constraints with the replica bounds filled in for {@code goal}, checked against it: a
     * highly available service with fewer than two replicas is refused rather than quietly raised.
     */
    public IntentConstraints resolvedFor(IntentGoal goal) {
        int min;
        int max;
        if (goal.spreadsReplicas()) {
            if (minReplicas != null && minReplicas < HIGHLY_AVAILABLE_MIN_REPLICAS) {
                throw new InvalidSpecException(goal.wire() + " needs min_replicas of at least "
                        + HIGHLY_AVAILABLE_MIN_REPLICAS + ": a single replica does not survive the loss of its node");
            }
            if (maxReplicas != null && maxReplicas < HIGHLY_AVAILABLE_MIN_REPLICAS) {
                throw new InvalidSpecException(goal.wire() + " needs max_replicas of at least "
                        + HIGHLY_AVAILABLE_MIN_REPLICAS + ": a single replica does not survive the loss of its node");
            }
            min = minReplicas != null ? minReplicas : HIGHLY_AVAILABLE_MIN_REPLICAS;
            max = maxReplicas != null ? maxReplicas : Math.max(min, HIGHLY_AVAILABLE_DEFAULT_MAX_REPLICAS);
        } else {
            min = minReplicas != null ? minReplicas : 1;
            max = maxReplicas != null ? maxReplicas : min;
        }
        return new IntentConstraints(min, max, maxCostPerHour, preferredRegions, requiredRegions, ecologicalPriority,
                maxCarbonIntensity);
    }

    /** Whether {@code costPerHour} stays within the budget, allowing for the rounding of sums of doubles. */
    public boolean withinBudget(double costPerHour) {
        return maxCostPerHour == null || costPerHour <= maxCostPerHour * (1 + 1e-9) + 1e-12;
    }

    /** Whether a node of this carbon intensity (g CO2/kWh) may host a replica. */
    public boolean allowsCarbonIntensity(double carbonIntensity) {
        return maxCarbonIntensity == null || carbonIntensity <= maxCarbonIntensity;
    }

    /** Whether a node in this region may host a replica. */
    public boolean allowsRegion(String region) {
        return requiredRegions.isEmpty() || requiredRegions.contains(region);
    }

    /** Whether this region is one the intent prefers (every region is, when none is named). */
    public boolean prefersRegion(String region) {
        return preferredRegions.isEmpty() || preferredRegions.contains(region);
    }

    private static void nonNegative(String field, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw new InvalidSpecException(field + " must be a number of at least 0, got " + value);
        }
    }

    private static List<String> regions(String field, List<String> regions) {
        if (regions == null) return List.of();
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String r : regions) distinct.add(Validation.nonBlank(field + "[]", r));
        return List.copyOf(distinct);
    }
}
