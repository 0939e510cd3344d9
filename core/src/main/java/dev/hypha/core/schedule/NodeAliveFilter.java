package dev.hypha.core.schedule;

import dev.hypha.model.NodeState;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Filter: only ALIVE nodes take new replicas.
 *
 * <p>A suspect node may still be running, but new work should not wait on a node gossip doubts;
 * dead and departed nodes cannot run anything.
 */
public final class NodeAliveFilter implements FilterPlugin {
    public static final String NAME = "node-alive";
    public static final FilterResult.Rejected NODE_SUSPECT = new FilterResult.Rejected("node is suspect");
    public static final FilterResult.Rejected NODE_DEAD = new FilterResult.Rejected("node is dead");
    public static final FilterResult.Rejected NODE_LEFT = new FilterResult.Rejected("node has left");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        return switch (node.node().state()) {
            case ALIVE -> FilterResult.FITS;
            case SUSPECT -> NODE_SUSPECT;
            case DEAD -> NODE_DEAD;
            case LEFT -> NODE_LEFT;
        };
    }

    /** The rejection for each state, by ordinal: null for ALIVE. */
    private static final FilterResult.Rejected[] BY_STATE = byState();

    private static FilterResult.Rejected[] byState() {
        NodeState[] states = NodeState.values();
        FilterResult.Rejected[] out = new FilterResult.Rejected[states.length];
        for (NodeState s : states) {
            out[s.ordinal()] = switch (s) {
                case ALIVE -> null;
                case SUSPECT -> NODE_SUSPECT;
                case DEAD -> NODE_DEAD;
                case LEFT -> NODE_LEFT;
            };
        }
        return out;
    }

    @Override
    public ColumnFilter prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        return (positions, count, rejections) -> {
            for (int i = 0; i < count; i++) rejections[i] = BY_STATE[columns.stateOrdinal(positions[i])];
        };
    }
}
