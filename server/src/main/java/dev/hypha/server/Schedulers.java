package dev.hypha.server;

import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.spi.Scheduler;

/** Builds the scheduler for a profile name given on the command line. */
public final class Schedulers {
    private Schedulers() {}

    public static Scheduler forProfile(String name) {
        return switch (name) {
            case "simple", "mycelial" -> new PipelineScheduler(Profiles.simple());
            default -> throw new IllegalArgumentException("unknown scheduler profile '" + name + "': use simple or mycelial");
        };
    }
}
