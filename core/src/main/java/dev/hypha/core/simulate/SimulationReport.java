package dev.hypha.core.simulate;

import java.util.List;

/**
 * The result of {@code hypha simulate}: the scenario, what its world holds, and one
 * {@link ProfileReport} per scheduler profile, all run on that same world.
 */
public record SimulationReport(Scenario scenario, WorldSummary world, List<ProfileReport> profiles) {
    public SimulationReport {
        profiles = List.copyOf(profiles);
    }
}
