package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.ColumnScore;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Scores a node by its reputation's reliability: work goes where containers start and stay up.
 * Reliability is EigenTrust-weighted and 0.5 for a node without history (see
 * {@code ReputationBook}).
 */
public record ReliabilityScore() implements ScorePlugin {
    public static final String NAME = "reliability";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        return Scores.unit(node.reputation().reliability());
    }

    @Override
    public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return ColumnScore.perNode(columns, (c, k) -> Scores.unit(c.reliability(k)));
    }
}
