package dev.hypha.bench;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.core.schedule.mycelial.MycelialWeights;
import dev.hypha.server.Schedulers;
import java.util.List;

/**
 * The scheduler profiles a benchmark can run, by name: {@code simple} and {@code mycelial}.
 *
 * <p>Both come from the factories the server uses ({@link Profiles#simple()},
 * {@link Schedulers#mycelial}, with the default weights and credit policy), so the benchmark
 * measures what a cluster runs.
 */
public final class BenchProfiles {
    public static final String SIMPLE = Profiles.SIMPLE;
    public static final String MYCELIAL = Schedulers.MYCELIAL;
    public static final List<String> NAMES = List.of(SIMPLE, MYCELIAL);

    private BenchProfiles() {}

    /** @throws IllegalArgumentException for a name that is not a profile */
    public static SchedulerProfile named(String name) {
        return switch (name) {
            case SIMPLE -> Profiles.simple();
            case MYCELIAL -> mycelial();
            default -> throw new IllegalArgumentException("unknown scheduler profile '" + name
                    + "': use simple or mycelial");
        };
    }

    static SchedulerProfile mycelial() {
        return Schedulers.mycelial(MycelialWeights.DEFAULT, CreditPolicy.DEFAULT);
    }
}
