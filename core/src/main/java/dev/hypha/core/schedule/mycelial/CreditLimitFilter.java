package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.CreditStanding;
import dev.hypha.core.schedule.ColumnFilter;
import dev.hypha.core.schedule.NodeColumns;
import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.FilterResult;
import dev.hypha.core.schedule.NodeRestriction;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Enforces the hard credit limit at placement: a workload whose member is over it may only go to
 * that member's own nodes (running there moves no credit); every other node is dropped.
 *
 * <p>The member's standing comes from {@link ClusterSnapshot#balanceOf}; the soft limit is not a
 * filter but an ordering the controller applies (see {@link CreditStanding}).
 */
public record CreditLimitFilter(CreditPolicy policy) implements FilterPlugin {
    public static final String NAME = "credit-limit";
    public static final String REASON = "the workload's member is over its hard credit limit; only its own nodes may take new work";

    public CreditLimitFilter() {
        this(CreditPolicy.DEFAULT);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        String member = request.workload().member();
        if (node.node().member().equals(member)) return FilterResult.fits();
        CreditStanding standing = policy.check(member, cluster.balanceOf(member));
        return standing instanceof CreditStanding.Refused ? REJECTED : FilterResult.fits();
    }

    private static final FilterResult.Rejected REJECTED = new FilterResult.Rejected(REASON);

    /** The standing is the workload member's, the same on every node: checked once. */
    @Override
    public ColumnFilter prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        String member = request.workload().member();
        if (!(policy.check(member, cluster.balanceOf(member)) instanceof CreditStanding.Refused)) return ColumnFilter.PASS;
        int own = columns.memberId(member);
        return (positions, count, rejections) -> {
            for (int i = 0; i < count; i++) rejections[i] = columns.member(positions[i]) == own ? null : REJECTED;
        };
    }

    /**
     * For a member over its hard limit, its own nodes: the scheduler then samples only those
     * instead of visiting the whole cluster to find them. None otherwise (every node fits).
     */
    @Override
    public NodeRestriction restriction(PlacementRequest request, ClusterSnapshot cluster) {
        String member = request.workload().member();
        if (!(policy.check(member, cluster.balanceOf(member)) instanceof CreditStanding.Refused)) return null;
        return new NodeRestriction.OwnedBy(member, REJECTED);
    }
}
