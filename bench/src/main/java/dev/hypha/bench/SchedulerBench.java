package dev.hypha.bench;

import dev.hypha.core.schedule.NaiveScheduler;
import dev.hypha.core.schedule.PipelineScheduler;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.spi.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Objects;

/**
 * The scheduler harness behind {@code hypha bench scheduler}: places a realistic sequence of
 * replicas ({@link PlacementSequence}) on a generated cluster ({@link BenchCluster}) with the
 * {@link PipelineScheduler}, times every placement, then does the same with the
 * {@link NaiveScheduler} baseline (same profile, cluster and sequence) in the same run.
 *
 * <p>Not JMH: it is quick enough for a command line (seconds), reports per-placement percentiles
 * as well as throughput, and needs no forked JVM. Both schedulers are warmed up first so the JIT
 * has compiled the loop. A placement's time includes adding it to the snapshot, which the
 * controller pays too. The naive baseline scores every node for every replica, so on large
 * clusters it is measured on fewer placements ({@link Options#baselinePlacements}); the result
 * says so.
 */
public final class SchedulerBench {
    /** Placements the baseline makes at most by default: enough for a stable median, minutes fewer. */
    public static final int DEFAULT_BASELINE_PLACEMENTS = 2_000;
    /**
     * Warm-up placements of the pipeline at most by default. On this project's two-core build
     * machine, shared with other builds, the JIT needed about 80,000 placements to settle on the
     * scheduler's loop (measured in rounds of 30,000 after the former 20,000: the first ran at a
     * third of the speed of the fourth), so a shorter warm-up measured compilation, not scheduling.
     */
    public static final int MAX_WARMUP_PLACEMENTS = 100_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SchedulerBench() {}

    /**
     * What to run.
     *
     * @param warmupPlacements   placements made and discarded before measuring the pipeline (the
     *                           baseline warms up on a fifth of its own placements at most)
     * @param baselinePlacements at most this many placements for the naive baseline
     */
    public record Options(String profile, int nodes, int placements, int warmupPlacements, int baselinePlacements,
                          long seed) {
        public Options {
            Objects.requireNonNull(profile, "profile");
            BenchProfiles.named(profile);
            if (nodes < 10) throw new IllegalArgumentException("--nodes must be at least 10, got " + nodes);
            if (placements < 1) throw new IllegalArgumentException("--placements must be at least 1, got " + placements);
            if (warmupPlacements < 0) throw new IllegalArgumentException("warm-up placements must not be negative");
            if (baselinePlacements < 1) {
                throw new IllegalArgumentException("--baseline-placements must be at least 1, got " + baselinePlacements);
            }
        }

        /**
         * {@code hypha bench scheduler}'s defaults for a profile, cluster size and number of
         * placements: a warm-up of twice the placements, at most {@link #MAX_WARMUP_PLACEMENTS}.
         */
        public static Options of(String profile, int nodes, int placements) {
            return new Options(profile, nodes, placements, (int) Math.min(2L * placements, MAX_WARMUP_PLACEMENTS),
                    DEFAULT_BASELINE_PLACEMENTS, 42);
        }
    }

    /**
     * One run's numbers.
     *
     * @param seconds                      wall time of the measured placements
     * @param cpuSeconds                   cpu time the measuring thread spent on them; on a shared
     *                                     machine, wall time also counts other processes' turns
     * @param cpuPlacementsPerSecond       placements per second of that thread's cpu time
     * @param meanNodesEvaluated           nodes filtered per placement, on average (the sample)
     * @param baselinePlacements           placements the baseline was measured on
     * @param baselineBounded              whether that is fewer than {@code placements}
     * @param ratioToBaseline              placements per second over the baseline's
     */
    public record Result(String profile, int nodes, int placements, long assigned, long unplaceable, double seconds,
                         double cpuSeconds, double placementsPerSecond, double cpuPlacementsPerSecond, double p50Ms, double p99Ms, double maxMs,
                         double meanNodesEvaluated, String baselineScheduler, int baselinePlacements,
                         boolean baselineBounded, double baselinePlacementsPerSecond, double baselineP50Ms,
                         double baselineP99Ms, double ratioToBaseline, String jvm) {}

    /** One measured series of placements. */
    private record Series(double seconds, double cpuSeconds, double perSecond, Latencies latencies,
                          PlacementSequence sequence) {}

    /** {@code java … dev.hypha.bench.SchedulerBench [profile] [nodes] [placements]}: one JSON object on stdout. */
    public static void main(String[] args) {
        Options o = Options.of(args.length > 0 ? args[0] : BenchProfiles.MYCELIAL,
                args.length > 1 ? Integer.parseInt(args[1]) : 5_000, args.length > 2 ? Integer.parseInt(args[2]) : 50_000);
        System.out.println(dev.hypha.model.Json.string(run(o)));
    }

    public static Result run(Options options) {
        SchedulerProfile profile = BenchProfiles.named(options.profile());
        BenchCluster cluster = BenchCluster.generate(options.nodes(), options.seed());

        Scheduler pipeline = new PipelineScheduler(profile);
        measure(pipeline, cluster, options.warmupPlacements(), options.seed() + 1);
        Series measured = measure(pipeline, cluster, options.placements(), options.seed());

        Scheduler naive = new NaiveScheduler(profile);
        int baselineCount = Math.min(options.placements(), options.baselinePlacements());
        // A shorter warm-up: each naive placement runs the same code thousands of times.
        measure(naive, cluster, Math.min(baselineCount / 5, options.warmupPlacements() / 10), options.seed() + 1);
        Series baseline = measure(naive, cluster, baselineCount, options.seed());

        Latencies l = measured.latencies();
        return new Result(profile.name(), options.nodes(), options.placements(), measured.sequence().assigned(),
                measured.sequence().unplaceable(), measured.seconds(), measured.cpuSeconds(), measured.perSecond(),
                options.placements() / measured.cpuSeconds(), l.medianMillis(),
                l.percentileMillis(99), l.maxMillis(),
                (double) measured.sequence().nodesEvaluated() / options.placements(), "naive", baselineCount,
                baselineCount < options.placements(), baseline.perSecond(), baseline.latencies().medianMillis(),
                baseline.latencies().percentileMillis(99), measured.perSecond() / baseline.perSecond(),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
    }

    private static Series measure(Scheduler scheduler, BenchCluster cluster, int placements, long seed) {
        PlacementSequence sequence = new PlacementSequence(scheduler, cluster, seed);
        Latencies latencies = new Latencies(placements);
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int k = 0; k < placements; k++) {
            long t0 = System.nanoTime();
            sequence.next();
            latencies.add(System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        return new Series(seconds, cpuSeconds, placements == 0 ? 0 : placements / seconds, latencies, sequence);
    }
}
