package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.economy.Credits;
import dev.hypha.core.schedule.ColumnScore;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Scores a node by how much its member gives back: half the reputation's contribution ratio
 * ({@code given / (given + taken)} over the ledger's history), half the member's current balance
 * through {@code 0.5 + 0.5 b / (|b| + scale)}.
 *
 * <p>Both terms are continuous (the seed's score was a step: 1.0 for any positive cpu balance,
 * else 0.5). The ratio says what kind of member this is over time; the balance term reacts at
 * once, and saturates, so no balance can outweigh everything else: at {@code +scale} it is 0.75,
 * at {@code -scale} 0.25.
 *
 * @param balanceScale micro-credits at which the balance term is a quarter from neutral (default 1,000 credits)
 */
public record ContributionScore(long balanceScale) implements ScorePlugin {
    public static final String NAME = "contribution";
    public static final long DEFAULT_BALANCE_SCALE = Credits.ofCredits(1_000);

    public ContributionScore {
        if (balanceScale <= 0) {
            throw new InvalidSpecException("the balance scale must be a positive number of micro-credits, got " + balanceScale);
        }
    }

    public ContributionScore() {
        this(DEFAULT_BALANCE_SCALE);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        double balance = cluster.balanceOf(node.node().member());
        double balanceTerm = 0.5 + 0.5 * balance / (Math.abs(balance) + balanceScale);
        return Scores.unit(0.5 * node.reputation().contributionRatio() + 0.5 * balanceTerm);
    }

    @Override
    public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return ColumnScore.perNode(columns, (c, k) -> {
            double balance = c.memberBalance(k);
            double balanceTerm = 0.5 + 0.5 * balance / (Math.abs(balance) + balanceScale);
            return Scores.unit(0.5 * c.contributionRatio(k) + 0.5 * balanceTerm);
        });
    }
}
