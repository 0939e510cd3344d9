package dev.hypha.core.schedule;

import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Filter: the replica's cpu, memory and disk request must fit in the node's free capacity
 * (capacity minus the requests of the active instances already on it).
 *
 * <p>Requests, not measured usage, are what a node has pledged, so they are what must fit; a
 * container that uses more is held by its cgroup limit. Cpu is checked first, then memory, then
 * disk: the first that is short is the counted reason, and {@link #explain} lists every shortfall.
 */
public final class ResourceFitFilter implements FilterPlugin {
    public static final String NAME = "resource-fit";
    public static final FilterResult.Rejected INSUFFICIENT_CPU = new FilterResult.Rejected("insufficient cpu");
    public static final FilterResult.Rejected INSUFFICIENT_MEMORY = new FilterResult.Rejected("insufficient memory");
    public static final FilterResult.Rejected INSUFFICIENT_DISK = new FilterResult.Rejected("insufficient disk");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilterResult filter(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        // Field by field, without building a Resources: this runs for every evaluated node.
        Resources want = request.workload().resources();
        Resources capacity = node.node().capacity();
        Resources allocated = node.allocated();
        if (want.cpuMillicores() > capacity.cpuMillicores() - allocated.cpuMillicores()) return INSUFFICIENT_CPU;
        if (want.memoryMb() > capacity.memoryMb() - allocated.memoryMb()) return INSUFFICIENT_MEMORY;
        if (want.diskMb() > capacity.diskMb() - allocated.diskMb()) return INSUFFICIENT_DISK;
        return FilterResult.FITS;
    }

    @Override
    public ColumnFilter prepare(PlacementRequest request, ClusterSnapshot cluster, NodeColumns columns) {
        Resources want = request.workload().resources();
        long cpu = want.cpuMillicores();
        long memory = want.memoryMb();
        long disk = want.diskMb();
        return (positions, count, rejections) -> {
            for (int i = 0; i < count; i++) {
                int k = positions[i];
                rejections[i] = cpu > columns.capacityCpu(k) - columns.allocatedCpu(k) ? INSUFFICIENT_CPU
                        : memory > columns.capacityMemory(k) - columns.allocatedMemory(k) ? INSUFFICIENT_MEMORY
                        : disk > columns.capacityDisk(k) - columns.allocatedDisk(k) ? INSUFFICIENT_DISK
                        : null;
            }
        };
    }

    /** E.g. "needs 1024 MB memory, 512 MB free (512 MB short)"; every short resource, joined by "; ". */
    @Override
    public String explain(FilterResult.Rejected rejection, PlacementRequest request, NodeSnapshot node,
                          ClusterSnapshot cluster) {
        Resources want = request.workload().resources();
        Resources free = node.free();
        StringBuilder out = new StringBuilder(64);
        shortfall(out, want.cpuMillicores(), free.cpuMillicores(), "m cpu", "m");
        shortfall(out, want.memoryMb(), free.memoryMb(), " MB memory", " MB");
        shortfall(out, want.diskMb(), free.diskMb(), " MB disk", " MB");
        return out.isEmpty() ? rejection.reason() : out.toString();
    }

    private static void shortfall(StringBuilder out, long want, long free, String what, String unit) {
        if (want > free) {
            if (!out.isEmpty()) out.append("; ");
            out.append("needs ").append(want).append(what).append(", ").append(free).append(unit).append(" free (")
                    .append(want - free).append(unit).append(" short)");
        }
    }
}
