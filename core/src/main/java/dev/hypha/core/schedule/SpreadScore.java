package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Score: {@code 1 / (1 + r)} where r is the number of the workload's active replicas already on the
 * node — 1 for a node without one, 0.5 with one, 0.33 with two.
 *
 * <p>Replicas on different machines survive one machine's failure; the score needs no cluster-wide
 * maximum, so each node is scored on its own and the result does not depend on the sample.
 */
public final class SpreadScore implements ScorePlugin {
    public static final String NAME = "spread";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        return 1.0 / (1 + node.countOf(request.workload().name()));
    }
}
