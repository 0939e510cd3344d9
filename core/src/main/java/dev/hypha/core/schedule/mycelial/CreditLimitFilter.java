package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.CreditStanding;
import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.FilterResult;
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
        return standing instanceof CreditStanding.Refused ? FilterResult.rejected(REASON) : FilterResult.fits();
    }
}
