package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.ColumnScore;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * The extra reliability weight a workload asks for with {@code placement.prefer_high_reputation}:
 * the node's reliability for such workloads, 0 on every node for the others.
 *
 * <p>Why a plugin and not a second set of weights: a profile's weights are fixed, but this score
 * is constant across nodes for workloads that do not ask, so it changes no ranking for them, while
 * for those that do its weight adds to the reliability weight.
 */
public record ReputationPreferenceScore() implements ScorePlugin {
    public static final String NAME = "reputation-preference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        if (!request.workload().placement().preferHighReputation()) return 0;
        return Scores.unit(node.reputation().reliability());
    }

    @Override
    public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        if (!request.workload().placement().preferHighReputation()) return ColumnScore.constant(0);
        return ColumnScore.perNode(columns, (c, k) -> Scores.unit(c.reliability(k)));
    }
}
