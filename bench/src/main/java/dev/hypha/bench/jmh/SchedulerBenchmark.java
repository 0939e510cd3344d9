package dev.hypha.bench.jmh;

import dev.hypha.bench.BenchCluster;
import dev.hypha.bench.BenchProfiles;
import dev.hypha.bench.PlacementSequence;
import dev.hypha.core.schedule.NaiveScheduler;
import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.spi.Placement;
import dev.hypha.spi.Scheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Placements per second: one operation is one replica scheduled on a {@link BenchCluster} and
 * added to the snapshot the next one sees ({@link PlacementSequence}), its full decision built and
 * returned to JMH.
 *
 * <p>{@code scheduler=pipeline} is {@link PipelineScheduler} (what the server runs);
 * {@code scheduler=naive} is {@link NaiveScheduler}, the baseline that scores every node. Each
 * iteration starts a fresh sequence from the same cluster, so iterations are alike.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedulerBenchmark {
    @Param({"1000", "5000", "10000"})
    public int nodes;

    @Param({"simple", "mycelial"})
    public String profile;

    @Param({"pipeline", "naive"})
    public String scheduler;

    private BenchCluster cluster;
    private Scheduler chosen;
    private PlacementSequence sequence;
    private long iteration;

    @Setup(Level.Trial)
    public void cluster() {
        cluster = BenchCluster.generate(nodes, 42);
        SchedulerProfile p = BenchProfiles.named(profile);
        chosen = switch (scheduler) {
            case "pipeline" -> new PipelineScheduler(p);
            case "naive" -> new NaiveScheduler(p);
            default -> throw new IllegalArgumentException("scheduler is pipeline or naive, got " + scheduler);
        };
    }

    @Setup(Level.Iteration)
    public void sequence() {
        sequence = new PlacementSequence(chosen, cluster, 42 + iteration++);
    }

    @Benchmark
    public Placement place() {
        return sequence.next();
    }
}
