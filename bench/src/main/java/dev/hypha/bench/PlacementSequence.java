package dev.hypha.bench;

import dev.hypha.core.schedule.IncrementalSnapshot;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeList;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import java.util.List;
import java.util.Objects;

/**
 * A realistic sequence of placements on a {@link BenchCluster}: each replica is scheduled on the
 * snapshot that already holds every replica placed before it ({@link IncrementalSnapshot}, as the
 * controller does within a pass), and the workload of each replica is drawn from the
 * cluster's mix with a fixed seed.
 *
 * <p>Every {@link #resetInterval} placements the cluster returns to its starting state, so a long run
 * measures a cluster at 0–30% starting load plus up to a third of new work, not one
 * that has filled up and rejects everything. Each placement's {@link Decision} is complete (top
 * candidates with every plugin's score, rejection counts and samples) and is read, so nothing the
 * scheduler builds can be skipped. Not thread-safe.
 */
public final class PlacementSequence {
    /** Length of the precomputed cycle of workloads; large enough that its period does not matter. */
    private static final int CYCLE = 1 << 14;

    private final Scheduler scheduler;
    private final ClusterSnapshot start;
    private final List<WorkloadSpec> workloads;
    private final int[] sequence;
    private final int resetEvery;
    private final long seedBase;
    private IncrementalSnapshot current;
    private long placed;
    private long sinceReset;
    private long assigned;
    private long unplaceable;
    private long nodesEvaluated;
    private long explained;

    /** @param seed chooses the workload sequence and each request's seed */
    public PlacementSequence(Scheduler scheduler, BenchCluster cluster, long seed) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        // As a NodeList, every round starts from the same chunks, and only what a round changed differs.
        ClusterSnapshot s = cluster.snapshot();
        this.start = new ClusterSnapshot(NodeList.of(s.nodes()), s.memberBalances(), s.revision());
        this.workloads = cluster.workloads();
        this.sequence = cluster.workloadSequence(CYCLE, seed);
        this.resetEvery = resetInterval(cluster.nodeCount());
        this.seedBase = mix(seed);
        this.current = new IncrementalSnapshot(start);
    }

    /**
     * Placements between two resets of the cluster: three per node, which with the mix's mean
     * request (about 680m cpu, 1.2 GB) fills a third of the cluster's cpu.
     */
    public static int resetInterval(int nodes) {
        return 3 * nodes;
    }

    /** Schedules the next replica and, when it was assigned, adds it to the snapshot. */
    public Placement next() {
        if (sinceReset == resetEvery) {
            current = new IncrementalSnapshot(start);
            sinceReset = 0;
        }
        WorkloadSpec workload = workloads.get(sequence[(int) (placed & (CYCLE - 1))]);
        long n = placed++;
        sinceReset++;
        PlacementRequest request = new PlacementRequest(workload, workload.name() + "-" + n, mix(seedBase + n));
        Placement placement = scheduler.schedule(request, current.snapshot());
        Decision decision = placement.decision();
        nodesEvaluated += decision.nodesEvaluated();
        explained += decision.topCandidates().size() + decision.rejectionCounts().size() + decision.rejections().size();
        if (placement instanceof Placement.Assigned a) {
            current.place(a.nodeId(), workload);
            assigned++;
        } else {
            unplaceable++;
        }
        return placement;
    }

    public long assigned() {
        return assigned;
    }

    public long unplaceable() {
        return unplaceable;
    }

    /** Nodes that went through the filters, summed over every placement so far. */
    public long nodesEvaluated() {
        return nodesEvaluated;
    }

    /** Entries of the decisions read so far (candidates, reason counts, sampled rejections). */
    public long explainedEntries() {
        return explained;
    }

    /** SplitMix64's finaliser: a well-spread request seed per placement. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
