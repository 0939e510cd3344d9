package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.ColumnScore;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Scores a node by the carbon cost of work on it: half its reputation's ecological balance
 * (energy per unit of work at the carbon intensity when reputation was last computed), half its
 * current carbon intensity, {@code ref / (ref + ci)}.
 *
 * <p>Why both: the grid's intensity changes by the hour and reaches the scheduler with the node's
 * metadata, while the energy a node spends per unit of work is only known from its history.
 *
 * @param carbonReference grams CO2 per kWh that scores 0.5 on the carbon half (default 200)
 */
public record EcologyScore(double carbonReference) implements ScorePlugin {
    public static final String NAME = "ecology";
    public static final double DEFAULT_CARBON_REFERENCE = 200;

    public EcologyScore {
        if (!(carbonReference > 0 && Double.isFinite(carbonReference))) {
            throw new InvalidSpecException("the carbon reference must be positive, got " + carbonReference);
        }
    }

    public EcologyScore() {
        this(DEFAULT_CARBON_REFERENCE);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        double now = Scores.inverse(node.node().carbonIntensity(), carbonReference);
        return Scores.unit(0.5 * node.reputation().ecologicalBalance() + 0.5 * now);
    }

    @Override
    public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return ColumnScore.perNode(columns, (c, k) -> {
            double now = Scores.inverse(c.carbonIntensity(k), carbonReference);
            return Scores.unit(0.5 * c.ecologicalBalance(k) + 0.5 * now);
        });
    }
}
