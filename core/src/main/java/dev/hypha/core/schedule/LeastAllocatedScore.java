package dev.hypha.core.schedule;

import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;

/**
 * Score: how much of the node stays free once the replica is placed — the mean of the free cpu
 * fraction and the free memory fraction, in 0..1 (kube-scheduler's LeastAllocated).
 *
 * <p>Preferring emptier nodes keeps headroom everywhere and avoids hot spots; disk is left out
 * because most replicas request none.
 */
public final class LeastAllocatedScore implements ScorePlugin {
    public static final String NAME = "least-allocated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
        Resources want = request.workload().resources();
        Resources capacity = node.node().capacity();
        Resources allocated = node.allocated();
        double cpu = freeFraction(capacity.cpuMillicores(), allocated.cpuMillicores() + want.cpuMillicores());
        double memory = freeFraction(capacity.memoryMb(), allocated.memoryMb() + want.memoryMb());
        return (cpu + memory) / 2;
    }

    /** {@code (capacity - used) / capacity}, clamped to 0..1; 0 for a node with no capacity. */
    static double freeFraction(long capacity, long used) {
        if (capacity <= 0) return 0;
        double free = (double) (capacity - used) / capacity;
        return Math.max(0, Math.min(1, free));
    }
}
