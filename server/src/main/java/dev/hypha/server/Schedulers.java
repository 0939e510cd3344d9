package dev.hypha.server;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.core.schedule.WeightedScore;
import dev.hypha.core.schedule.mycelial.MycelialWeights;
import dev.hypha.core.schedule.mycelial.ProfilePlugin;
import dev.hypha.spi.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the scheduler for a profile name given on the command line: {@code mycelial} (the
 * default) or {@code simple}.
 */
public final class Schedulers {
    public static final String MYCELIAL = "mycelial";

    private Schedulers() {}

    /** The profile with the economy's default weights and credit limits. */
    public static Scheduler forProfile(String name) {
        return forProfile(name, MycelialWeights.DEFAULT, CreditPolicy.DEFAULT);
    }

    public static Scheduler forProfile(String name, MycelialWeights weights, CreditPolicy creditPolicy) {
        return switch (name) {
            case Profiles.SIMPLE -> new PipelineScheduler(Profiles.simple());
            case MYCELIAL -> new PipelineScheduler(mycelial(weights, creditPolicy));
            default -> throw new IllegalArgumentException("unknown scheduler profile '" + name + "': use simple or mycelial");
        };
    }

    /**
     * The {@code mycelial} profile (DESIGN.md, "Mycelial score"):
     * <ol>
     *   <li>filters: the simple profile's (alive, resource fit, region), then the credit limit
     *       (a member over its hard limit may use only its own nodes) and the reputation floor (for
     *       workloads that prefer high reputation);</li>
     *   <li>scores: reliability, contribution, efficiency and ecology with the seed's weights, load
     *       spread, and the extra reliability weight of workloads that prefer high reputation, each
     *       shown per candidate by {@code explain}.</li>
     * </ol>
     */
    public static SchedulerProfile mycelial(MycelialWeights weights, CreditPolicy creditPolicy) {
        List<FilterPlugin> filters = new ArrayList<>(Profiles.simple().filters());
        List<WeightedScore> scorers = new ArrayList<>();
        for (ProfilePlugin p : MycelialWeights.plugins(weights, creditPolicy)) {
            switch (p) {
                case ProfilePlugin.Filter f -> filters.add(f.plugin());
                case ProfilePlugin.Weighted w -> scorers.add(new WeightedScore(w.plugin(), w.weight()));
            }
        }
        return new SchedulerProfile(MYCELIAL, filters, scorers, Profiles.DEFAULT_TOP_CANDIDATES);
    }
}
