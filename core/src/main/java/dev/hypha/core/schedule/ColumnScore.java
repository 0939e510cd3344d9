package dev.hypha.core.schedule;

/**
 * A score plugin prepared for one placement request, reading the cluster's {@link NodeColumns} by
 * node position: the fast path of a {@link ScorePlugin} (see {@link ScorePlugin#prepare}). It
 * scores every feasible node of the request's sample in one call: a call per plugin instead of
 * one per node (or per block of nodes), and a loop the compiler can keep tight.
 */
@FunctionalInterface
public interface ColumnScore {
    /**
     * Scores the nodes at {@code positions[0..count-1]} (in the order the sample found them, up
     * to the number of feasible nodes it looks for) into {@code scores[0..count-1]}, each in 0..1
     * and exactly (bit for bit) what {@link ScorePlugin#score} gives for that node, so both paths
     * rank nodes alike.
     */
    void score(int[] positions, int count, double[] scores);

    /**
     * A score of the node alone: {@code score} reads only what the columns hold for the node (its
     * facts, its reputation, its member's balance) and the plugin's own settings, never the
     * request, so it gives the same value for every request while the node does not change. The
     * pipeline may then compute it once per node and keep it, instead of once per placement.
     */
    static ColumnScore perNode(NodeColumns columns, NodeColumns.NodeFunction score) {
        return new PerNode(columns, score);
    }

    /** The score of {@link #perNode}; called as a column score, it scores node by node. */
    record PerNode(NodeColumns columns, NodeColumns.NodeFunction score) implements ColumnScore {
        public PerNode {
            java.util.Objects.requireNonNull(columns, "columns");
            java.util.Objects.requireNonNull(score, "score");
        }

        @Override
        public void score(int[] positions, int count, double[] scores) {
            for (int i = 0; i < count; i++) scores[i] = score.at(columns, positions[i]);
        }
    }

    /** A score that is the same on every node for this request; the pipeline reads it once. */
    static ColumnScore constant(double value) {
        return new Constant(value);
    }

    /** The score of {@link #constant}. */
    record Constant(double value) implements ColumnScore {
        @Override
        public void score(int[] positions, int count, double[] scores) {
            java.util.Arrays.fill(scores, 0, count, value);
        }
    }
}
