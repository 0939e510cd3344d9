package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.model.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of the {@code mycelial} scheduling profile, and the reputation floor, as
 * configuration (DESIGN.md, "Mycelial score").
 *
 * <p>The four mycelial weights default to the seed's: reliability 0.4, contribution 0.3,
 * efficiency 0.2, ecology 0.1. Two weights go beyond the seed. Load spread 1.0, as much as the four
 * together: a node that leads another by {@code d} in the weighted mycelial terms is filled at most
 * about {@code d} (as a fraction of its capacity) further than that one before the other gets
 * work, and a workload's second replica joins its first on one node only if that node leads by
 * about half of its load score. Reputation preference 0.4, which for workloads that prefer high
 * reputation doubles the reliability weight.
 *
 * @param reliability          weight of {@link ReliabilityScore}
 * @param contribution         weight of {@link ContributionScore}
 * @param efficiency           weight of {@link EfficiencyScore}
 * @param ecology              weight of {@link EcologyScore}
 * @param loadSpread           weight of {@link LoadSpreadScore}
 * @param reputationPreference weight of {@link ReputationPreferenceScore}
 * @param reputationFloor      floor of {@link ReputationFloorFilter}, in 0..1 (not a weight)
 */
public record MycelialWeights(double reliability, double contribution, double efficiency, double ecology,
                              double loadSpread, double reputationPreference, double reputationFloor) {

    public static final MycelialWeights DEFAULT = new MycelialWeights(0.4, 0.3, 0.2, 0.1, 1.0, 0.4,
            ReputationFloorFilter.DEFAULT_FLOOR);

    public MycelialWeights {
        weight("reliability", reliability);
        weight("contribution", contribution);
        weight("efficiency", efficiency);
        weight("ecology", ecology);
        weight("load_spread", loadSpread);
        weight("reputation_preference", reputationPreference);
        if (reliability + contribution + efficiency + ecology + loadSpread <= 0) {
            throw new InvalidSpecException("at least one of the mycelial weights must be positive, or no node"
                    + " is better than another");
        }
        if (!(reputationFloor >= 0 && reputationFloor <= 1)) {
            throw new InvalidSpecException("reputation_floor must be in 0..1, got " + reputationFloor);
        }
    }

    private static void weight(String field, double w) {
        if (!(w >= 0 && Double.isFinite(w))) {
            throw new InvalidSpecException("the " + field + " weight must be zero or positive, got " + w);
        }
    }

    /** {@link #plugins(MycelialWeights, CreditPolicy)} with the default credit policy. */
    public static List<ProfilePlugin> plugins(MycelialWeights weights) {
        return plugins(weights, CreditPolicy.DEFAULT);
    }

    /**
     * The mycelial profile's plugins: first the filters ({@link CreditLimitFilter},
     * {@link ReputationFloorFilter}), then every score plugin with its weight, in a fixed order.
     * Score plugins of weight zero are left out. The profile's resource-fit and region filters are
     * the pipeline's own and not included.
     */
    public static List<ProfilePlugin> plugins(MycelialWeights weights, CreditPolicy creditPolicy) {
        List<ProfilePlugin> out = new ArrayList<>();
        out.add(new ProfilePlugin.Filter(new CreditLimitFilter(creditPolicy)));
        out.add(new ProfilePlugin.Filter(new ReputationFloorFilter(weights.reputationFloor())));
        scored(out, new ReliabilityScore(), weights.reliability());
        scored(out, new ContributionScore(), weights.contribution());
        scored(out, new EfficiencyScore(), weights.efficiency());
        scored(out, new EcologyScore(), weights.ecology());
        scored(out, new LoadSpreadScore(), weights.loadSpread());
        scored(out, new ReputationPreferenceScore(), weights.reputationPreference());
        return List.copyOf(out);
    }

    private static void scored(List<ProfilePlugin> out, ScorePlugin plugin, double weight) {
        if (weight > 0) out.add(new ProfilePlugin.Weighted(plugin, weight));
    }
}
