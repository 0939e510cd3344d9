package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Scores a node higher the emptier it would be after taking the replica, and the fewer replicas
 * of the same workload it already runs: {@code (1 - utilisation after) / (1 + same)}.
 *
 * <p>Why: without it every replica goes to the single best-reputed node until it is full (the
 * seed's score had no load term), and a new node, neutral at 0.5, would never get the work that
 * builds its reputation. Utilisation is the mean of the cpu and memory fractions after placement,
 * as Kubernetes' least-allocated strategy; dividing by {@code 1 + same} halves a node's score for
 * a workload's second replica, so replicas spread over machines and losing one machine loses few
 * of them.
 */
public record LoadSpreadScore() implements ScorePlugin {
    public static final String NAME = "load-spread";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        Resources capacity = node.node().capacity();
        Resources after = node.allocated().plus(request.workload().resources());
        double utilisation = (fraction(after.cpuMillicores(), capacity.cpuMillicores())
                + fraction(after.memoryMb(), capacity.memoryMb())) / 2;
        double spread = 1.0 / (1 + node.countOf(request.workload().name()));
        return Scores.unit((1 - utilisation) * spread);
    }

    private static double fraction(long used, long capacity) {
        return capacity <= 0 ? 1 : Math.min(1, (double) used / capacity);
    }
}
