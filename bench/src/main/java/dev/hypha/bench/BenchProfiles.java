package dev.hypha.bench;

import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.core.schedule.WeightedScore;
import dev.hypha.core.schedule.mycelial.MycelialWeights;
import dev.hypha.core.schedule.mycelial.ProfilePlugin;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler profiles a benchmark can run, by name: {@code simple} and {@code mycelial}.
 *
 * <p>The mycelial profile is built the way the server builds it: the simple profile's filters
 * (alive, resource fit, region), then the plugins of {@link MycelialWeights#plugins} with the
 * default weights and credit policy, so the benchmark measures what a cluster runs.
 */
public final class BenchProfiles {
    public static final String SIMPLE = Profiles.SIMPLE;
    public static final String MYCELIAL = "mycelial";
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
        List<FilterPlugin> filters = new ArrayList<>(Profiles.simple().filters());
        List<WeightedScore> scorers = new ArrayList<>();
        for (ProfilePlugin p : MycelialWeights.plugins(MycelialWeights.DEFAULT)) {
            switch (p) {
                case ProfilePlugin.Filter f -> filters.add(f.plugin());
                case ProfilePlugin.Weighted w -> scorers.add(new WeightedScore(w.plugin(), w.weight()));
            }
        }
        return new SchedulerProfile(MYCELIAL, filters, scorers, Profiles.DEFAULT_TOP_CANDIDATES);
    }
}
