package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.FilterResult;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.Locale;

/**
 * For workloads with {@code placement.prefer_high_reputation}, drops nodes whose reliability is
 * below a floor; lets every node through for other workloads.
 *
 * <p>The default floor is 0.5, the score of a node without history: a new cluster (every node
 * neutral) can still place such workloads, while a node that has shown more failures than
 * successes cannot take them. The rejection reason names the floor but not the node's value, so
 * decisions count all such rejections under one reason.
 *
 * @param floor the lowest reliability accepted, in 0..1
 */
public record ReputationFloorFilter(double floor) implements FilterPlugin {
    public static final String NAME = "reputation-floor";
    public static final double DEFAULT_FLOOR = 0.5;

    public ReputationFloorFilter {
        if (!(floor >= 0 && floor <= 1)) throw new InvalidSpecException("the reputation floor must be in 0..1, got " + floor);
    }

    public ReputationFloorFilter() {
        this(DEFAULT_FLOOR);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The rejection reason, e.g. "reliability below the reputation floor of 0.50". */
    public String reason() {
        return String.format(Locale.ROOT, "reliability below the reputation floor of %.2f", floor);
    }

    @Override
    public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        if (!request.workload().placement().preferHighReputation()) return FilterResult.fits();
        return node.reputation().reliability() < floor ? FilterResult.rejected(reason()) : FilterResult.fits();
    }
}
