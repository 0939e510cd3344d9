package dev.hypha.core.simulate;

import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.NodeAliveFilter;
import dev.hypha.core.schedule.Profiles;
import dev.hypha.core.schedule.RegionFilter;
import dev.hypha.core.schedule.ResourceFitFilter;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.core.schedule.WeightedScore;
import dev.hypha.core.schedule.mycelial.MycelialWeights;
import dev.hypha.core.schedule.mycelial.ProfilePlugin;
import dev.hypha.model.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler profiles a simulation can compare, by name: {@code simple} and {@code mycelial}.
 *
 * <p>The mycelial profile is assembled here from {@link MycelialWeights#plugins}: the pipeline's
 * own filters first (alive, resource fit, region: cheap and common rejections), then the mycelial
 * filters (credit limit, reputation floor) and the weighted mycelial scores, with the default
 * weights and credit policy.
 */
public final class SimulatedProfiles {
    public static final String MYCELIAL = "mycelial";
    /** The names {@link #named} knows, in the order a report lists them by default. */
    public static final List<String> NAMES = List.of(Profiles.SIMPLE, MYCELIAL);

    private SimulatedProfiles() {}

    /**
     * The profile called {@code name}.
     *
     * @throws InvalidSpecException naming the known profiles when {@code name} is not one of them
     */
    public static SchedulerProfile named(String name) {
        return switch (name) {
            case Profiles.SIMPLE -> Profiles.simple();
            case MYCELIAL -> mycelial(MycelialWeights.DEFAULT);
            default -> throw new InvalidSpecException("unknown scheduler profile '" + name + "': choose from "
                    + String.join(", ", NAMES));
        };
    }

    /** The mycelial profile with {@code weights} and the default credit policy. */
    public static SchedulerProfile mycelial(MycelialWeights weights) {
        List<FilterPlugin> filters = new ArrayList<>(List.of(new NodeAliveFilter(), new ResourceFitFilter(),
                new RegionFilter()));
        List<WeightedScore> scores = new ArrayList<>();
        for (ProfilePlugin plugin : MycelialWeights.plugins(weights)) {
            switch (plugin) {
                case ProfilePlugin.Filter f -> filters.add(f.plugin());
                case ProfilePlugin.Weighted w -> scores.add(new WeightedScore(w.plugin(), w.weight()));
            }
        }
        return new SchedulerProfile(MYCELIAL, filters, scores, Profiles.DEFAULT_TOP_CANDIDATES);
    }
}
