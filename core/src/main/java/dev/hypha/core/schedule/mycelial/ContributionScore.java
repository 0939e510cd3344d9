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
 * Scores a node by how much its member has to give back: half from the reputation's contribution
 * ratio, as {@code 1 - given / (given + taken)} over the ledger's history, half from the member's
 * current balance {@code b}, as {@code 0.5 - 0.5 b / (|b| + scale)}. A member that has taken more
 * than it gave (ratio below one half, balance below zero) scores above 0.5; one far in credit
 * scores below.
 *
 * <p>Why this way round: the scheduler sends work toward machines that give back as much as they
 * take (DESIGN.md, "The mycelial economy"). Work placed on a debtor's node credits that member, so
 * favouring those nodes lets a member in debt earn its way back toward zero — the way out that
 * the credit limits promise ("until its nodes give back") — while a member far in credit is not
 * handed still more. The seed's score did the opposite (1.0 for any positive cpu balance, else
 * 0.5): it paid the creditors, so balances drifted apart. Measured with {@code hypha simulate}
 * (2,000 nodes, 20,000 workloads, seed 42), this order lowered the standard deviation of the
 * members' balances under the mycelial profile by a quarter, below the simple profile's.
 *
 * <p>Both terms are continuous. The ratio says what kind of member this is over time; the balance
 * term reacts at once, and saturates, so no balance can outweigh everything else: at
 * {@code -scale} it is 0.75, at {@code +scale} 0.25. The score depends on the node and its member
 * alone, so the scheduler keeps it per node ({@link ColumnScore#perNode}).
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
        return score(node.reputation().contributionRatio(), cluster.balanceOf(node.node().member()));
    }

    @Override
    public ColumnScore prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return ColumnScore.perNode(columns, (c, k) -> score(c.contributionRatio(k), c.memberBalance(k)));
    }

    /** The score for a member with this contribution ratio and balance (micro-credits). */
    private double score(double contributionRatio, double balance) {
        double owes = 0.5 - 0.5 * balance / (Math.abs(balance) + balanceScale);
        return Scores.unit(0.5 * (1 - contributionRatio) + 0.5 * owes);
    }
}
