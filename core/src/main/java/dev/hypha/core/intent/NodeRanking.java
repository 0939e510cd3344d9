package dev.hypha.core.intent;

import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.spi.NodeSnapshot;
import java.util.List;

/**
 * How the planner orders feasible nodes for an ecological priority: a weighted sum of terms in
 * 0..1, lower is better, ties broken by node id by the caller.
 *
 * <p>Terms: cost per replica, CO2 per replica and grid carbon intensity, each divided by the largest
 * among the candidates (a ratio scale, so two near-equal prices stay near-equal scores), and
 * {@code 1 − reputation.ecological_balance}, which is already in 0..1.
 *
 * <pre>
 *   priority                  cost   co2/replica  carbon intensity  1 − ecological balance
 *   none                      1.0    0            0                 0
 *   prefer_low_carbon         0.4    0.5          0                 0.1
 *   prefer_renewable_energy   0.2    0            0.5               0.3
 * </pre>
 *
 * Low carbon looks at emissions per replica (grid intensity × the node's power draw), so an
 * efficient machine on a middling grid can win; renewable energy looks at the grid itself and at
 * what the node has shown about its ecology, caring least about price.
 */
record NodeRanking(double costWeight, double co2Weight, double carbonIntensityWeight, double ecologicalWeight) {

    static NodeRanking forPriority(EcologicalPriority priority) {
        return switch (priority) {
            case NONE -> new NodeRanking(1.0, 0, 0, 0);
            case PREFER_LOW_CARBON -> new NodeRanking(0.4, 0.5, 0, 0.1);
            case PREFER_RENEWABLE_ENERGY -> new NodeRanking(0.2, 0, 0.5, 0.3);
        };
    }

    /** One score per candidate, in the candidates' order; lower is better. */
    double[] scores(List<NodeSnapshot> nodes, List<ReplicaFootprint> footprints) {
        double maxCost = 0;
        double maxCo2 = 0;
        double maxIntensity = 0;
        for (int i = 0; i < nodes.size(); i++) {
            maxCost = Math.max(maxCost, footprints.get(i).costPerHour());
            maxCo2 = Math.max(maxCo2, footprints.get(i).co2GramsPerHour());
            maxIntensity = Math.max(maxIntensity, nodes.get(i).node().carbonIntensity());
        }
        double[] scores = new double[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            NodeSnapshot n = nodes.get(i);
            ReplicaFootprint f = footprints.get(i);
            scores[i] = costWeight * ratio(f.costPerHour(), maxCost)
                    + co2Weight * ratio(f.co2GramsPerHour(), maxCo2)
                    + carbonIntensityWeight * ratio(n.node().carbonIntensity(), maxIntensity)
                    + ecologicalWeight * (1 - n.reputation().ecologicalBalance());
        }
        return scores;
    }

    private static double ratio(double v, double max) {
        return max == 0 ? 0 : v / max;
    }
}
