package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.List;

/**
 * Filter: a workload that lists regions ({@code placement.regions}) runs only on nodes in one of
 * them; an empty list allows every region.
 *
 * <p>A hard constraint, for data residency or latency: a replica that cannot be placed in its
 * regions stays unplaced rather than run somewhere it must not.
 */
public final class RegionFilter implements FilterPlugin {
    public static final String NAME = "region";
    public static final FilterResult.Rejected REGION_NOT_ALLOWED = new FilterResult.Rejected("region not allowed");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        List<String> allowed = request.workload().placement().regions();
        if (allowed.isEmpty() || allowed.contains(node.node().region())) return FilterResult.FITS;
        return REGION_NOT_ALLOWED;
    }

    @Override
    public ColumnFilter prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        List<String> allowed = request.workload().placement().regions();
        if (allowed.isEmpty()) return ColumnFilter.PASS;
        boolean[] allowedIds = new boolean[columns.regions()];
        for (String r : allowed) {
            int id = columns.regionId(r);
            if (id >= 0) allowedIds[id] = true;
        }
        return (positions, count, rejections) -> {
            for (int i = 0; i < count; i++) rejections[i] = allowedIds[columns.region(positions[i])] ? null : REGION_NOT_ALLOWED;
        };
    }

    /** The allowed regions, looked up in the columns' region index instead of filtered node by node. */
    @Override
    public NodeRestriction restriction(PlacementRequest request, ClusterSnapshot cluster) {
        List<String> allowed = request.workload().placement().regions();
        return allowed.isEmpty() ? null : new NodeRestriction.InRegions(allowed, REGION_NOT_ALLOWED);
    }

    @Override
    public String explain(FilterResult.Rejected rejection, PlacementRequest request, NodeSnapshot node,
                          ClusterSnapshot cluster) {
        return "node is in region '" + node.node().region() + "'; the workload allows only "
                + String.join(", ", request.workload().placement().regions());
    }
}
