package dev.hypha.core.simulate;

import dev.hypha.core.schedule.SchedulerProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster simulator: runs a seeded {@link Scenario} under several scheduler profiles and
 * reports their results side by side.
 *
 * <p>Each profile runs on the same generated {@link World} (same nodes, workloads and crashes),
 * on its own virtual clock, driving the real reconciler, scheduler, settlement and reputation code
 * (see {@link ProfileRun} for the loop and what it measures). Everything is seeded: the same
 * scenario and profiles give an equal report, and a profile's result does not depend on which
 * other profiles ran with it.
 *
 * <p>Pure and single-threaded. Runs of different profiles share nothing mutable, so a caller
 * may run {@link #runProfile} for several profiles on separate threads over one world and
 * assemble the report with {@link #report}.
 */
public final class Simulator {
    private Simulator() {}

    /** Generates the scenario's world and runs every profile on it, one after the other. */
    public static SimulationReport run(Scenario scenario, List<SchedulerProfile> profiles) {
        Objects.requireNonNull(scenario, "scenario");
        World world = World.generate(scenario);
        List<ProfileReport> results = new ArrayList<>(profiles.size());
        for (SchedulerProfile profile : profiles) results.add(runProfile(world, profile));
        return report(world, results);
    }

    /** One profile's run over {@code world}. */
    public static ProfileReport runProfile(World world, SchedulerProfile profile) {
        Objects.requireNonNull(world, "world");
        Objects.requireNonNull(profile, "profile");
        return new ProfileRun(world, profile).run();
    }

    /** The report of {@code world}'s scenario with these profiles' results, in the order given. */
    public static SimulationReport report(World world, List<ProfileReport> results) {
        return new SimulationReport(world.scenario(), world.summary(), results);
    }
}
