package dev.hypha.model;

import java.util.List;

/**
 * Where a workload's replicas may go and what they prefer.
 *
 * @param preferHighReputation adds a reputation floor and extra weight in the mycelial profile
 * @param regions              hard constraint: only nodes in one of these regions (empty = any)
 */
public record PlacementConstraints(boolean preferHighReputation, List<String> regions) {
    public static final PlacementConstraints NONE = new PlacementConstraints(false, List.of());

    public PlacementConstraints {
        regions = regions == null ? List.of() : List.copyOf(regions);
        for (String r : regions) Validation.nonBlank("placement.regions[]", r);
    }
}
