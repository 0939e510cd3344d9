package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.ColumnScore;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Scores a node by its reputation's resource efficiency: how much of what it pledged was really
 * used. Idle pledges are capacity nobody could use; use above the pledge is the workload's
 * violation and neither raises nor lowers this score.
 */
public record EfficiencyScore() implements ScorePlugin {
    public static final String NAME = "efficiency";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        return Scores.unit(node.reputation().resourceEfficiency());
    }

    @Override
    public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return ColumnScore.perNode(columns, (c, k) -> Scores.unit(c.resourceEfficiency(k)));
    }
}
