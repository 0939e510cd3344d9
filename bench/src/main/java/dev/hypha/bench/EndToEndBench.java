package dev.hypha.bench;

import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Placements per second through the whole control plane: a real {@link dev.hypha.server.HyphaServer}
 * (HTTP API, SQLite store with every write synced, controller loop) with agents on the fake runtime,
 * and workloads submitted as a user submits them, by POST to {@code /api/v1/workloads}.
 *
 * <p>A replica counts as placed when its instance record exists with a node (the controller wrote
 * it); the clock starts before the first request and stops at the last such record, seen through a
 * watch on the store. Unmeasured rounds of the same size run first, each one's workloads deleted
 * after it, until a round spends less than a tenth of its cpu in the JIT compiler (at most {@value
 * #MAX_WARMUP_ROUNDS}), so the measured round sees a server that has been running, not one still
 * compiling its code; then twice the measured round's workloads are placed and kept, so the measured
 * round places beside replicas already running. The agents run their normal loop meanwhile
 * (fetching assignments, "starting" containers, reporting status), so placements compete with the
 * status traffic they cause, as in a real cluster. Run with {@code java … dev.hypha.bench.EndToEndBench [workloads] [replicas] [agents]
 * [profile]}; prints one JSON object on stdout.
 */
public final class EndToEndBench {
    private EndToEndBench() {}

    /**
     * @param workloads   workloads submitted, each with {@code replicas} replicas
     * @param submitters  requests in flight at once
     */
    public record Options(int workloads, int replicas, int agents, int submitters, String profile) {
        public Options {
            if (workloads < 1 || replicas < 1 || agents < 1 || submitters < 1) {
                throw new IllegalArgumentException("workloads, replicas, agents and submitters must be at least 1");
            }
            BenchProfiles.named(profile);
        }
    }

    /**
     * @param submitSeconds          from the first request to the last response
     * @param seconds                from the first request to the last replica placed
     * @param placementsPerSecond    replicas placed over {@code seconds}
     * @param workloadP50Ms          a workload's submit-to-all-replicas-placed time, median
     * @param storeRevisions         store revisions (committed changes) from the first request to the last placement
     * @param cpuSeconds             cpu time of this whole process (server, agents, clients) over {@code seconds}:
     *                               on a shared machine, wall time also counts other processes' turns
     * @param jitCpuSeconds          of {@code cpuSeconds}, what the JIT compiler threads used (-1 where the
     *                               platform does not tell): code still being compiled in the measured round,
     *                               which a server that has been running longer no longer spends
     * @param warmupRounds           unmeasured rounds of the same size run before, each one's workloads deleted
     *                               after it, until one spent less than a tenth of its cpu in the JIT compiler
     */
    public record Result(int workloads, int replicas, int placements, int agents, String profile, double submitSeconds,
                         double seconds, double placementsPerSecond, double workloadP50Ms, double workloadP99Ms,
                         String store, long storeRevisions, double cpuSeconds, double cpuMsPerPlacement,
                         double jitCpuSeconds, int warmupRounds) {}

    public static void main(String[] args) throws Exception {
        Options o = new Options(arg(args, 0, 200), arg(args, 1, 10), arg(args, 2, 4), 4,
                args.length > 3 ? args[3] : BenchProfiles.MYCELIAL);
        Result r = run(o);
        System.err.printf(Locale.ROOT, "end to end: %,d placements (%d workloads × %d) on %d agents in %.2f s:"
                        + " %,.0f placements/s (submits took %.2f s); workload submit-to-placed p50 %.0f ms, p99 %.0f ms;"
                + " %.2f ms of cpu per placement (the JIT compiler's %.2f s of the %.2f s of cpu)%n",
                r.placements(), r.workloads(), r.replicas(), r.agents(), r.seconds(), r.placementsPerSecond(),
                r.submitSeconds(), r.workloadP50Ms(), r.workloadP99Ms(), r.cpuMsPerPlacement(), r.jitCpuSeconds(),
                r.cpuSeconds());
        System.out.println(Json.string(r));
    }

    /** Cpu time of this process, all threads, in nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * Cpu time of this process's JIT compiler threads, in nanoseconds, from {@code /proc/self/task}
     * (Linux); -1 where that cannot be read. The JVM hides these threads from its thread bean.
     */
    static long jitCpuNanos() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (!Files.readString(t.resolve("comm")).contains("CompilerThre")) continue;
                    // utime and stime: the 12th and 13th fields after the command's closing parenthesis.
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException threadGone) {
                    // A compiler thread that ended meanwhile: its time is counted by no one.
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L; // clock ticks of 1/100 s (USER_HZ on Linux)
    }

    private static int arg(String[] args, int k, int dflt) {
        return args.length > k ? Integer.parseInt(args[k]) : dflt;
    }

    /** Warm-up rounds at most, when the JIT compiler never settles (a machine too loaded to tell). */
    static final int MAX_WARMUP_ROUNDS = 6;
    /** A warm-up round that spent less than this share of its cpu in the JIT compiler shows a server that has been running. */
    static final double STEADY_JIT_SHARE = 0.10;

    /** Rounds' worth of workloads placed after the warm-up and kept running through the measured round. */
    static final int STANDING_ROUNDS = 2;

    public static Result run(Options o) throws Exception {
        int total = o.workloads() * o.replicas();
        // Room for the standing replicas, the measured round and one round to spare (each warm-up round's
        // workloads are deleted before the next starts): placing is measured, not running out of space.
        long perAgent = (long) Math.ceil((STANDING_ROUNDS + 2) * total / (double) o.agents()) + 1;
        Resources capacity = new Resources(Math.min(Resources.MAX_CPU_MILLICORES, perAgent * 100),
                Math.min(Resources.MAX_MEMORY_MB, perAgent * 64), 10_240);
        try (LocalCluster cluster = LocalCluster.start(o.profile())) {
            for (int a = 0; a < o.agents(); a++) cluster.addAgent("bench-" + a, capacity, "fake");
            // Unmeasured rounds of the same size until the JIT compiler is done with the placement path: a server
            // that just started spends its first seconds compiling, one that has run for a day does not.
            int warmupRounds = 0;
            while (warmupRounds < MAX_WARMUP_ROUNDS) {
                Result warm = round(cluster, o, "warm" + warmupRounds, 0);
                warmupRounds++;
                System.err.printf(Locale.ROOT, "warm-up round %d: %,.0f placements/s, %.2f s of cpu, %.2f s of it compiling%n",
                        warmupRounds, warm.placementsPerSecond(), warm.cpuSeconds(), warm.jitCpuSeconds());
                cluster.deleteAllWorkloads();
                if (warm.jitCpuSeconds() >= 0 && warm.jitCpuSeconds() < STEADY_JIT_SHARE * warm.cpuSeconds()) break;
            }
            if (!cluster.server().store().instances().values().isEmpty()) {
                throw new IllegalStateException("the warm-up's instances were not all removed in two minutes");
            }
            // A cluster already running work: the measured round places beside replicas that stay, as in a real one.
            round(cluster, new Options(STANDING_ROUNDS * o.workloads(), o.replicas(), o.agents(), o.submitters(),
                    o.profile()), "standing", 0);
            return round(cluster, o, "bench", warmupRounds);
        }
    }

    /** Submits {@code o.workloads()} workloads named {@code prefix-NNNNN} and waits until all their replicas are placed. */
    private static Result round(LocalCluster cluster, Options o, String prefix, int warmupRounds) throws Exception {
        int total = o.workloads() * o.replicas();
        // Watch instance records: the controller creates each with its node, so a key's first version is a placement.
        Map<String, Long> placedAt = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> placedPerWorkload = new ConcurrentHashMap<>();
        Map<String, Long> workloadDone = new ConcurrentHashMap<>();
        CountDownLatch allPlaced = new CountDownLatch(total);
        String instances = StateStore.ROOT + "instances/" + prefix + "-";
        KvStore kv = cluster.server().store().kv();
        try (KvStore.Watch watch = kv.watch(instances, kv.revision(), e -> {
            if (e.type() != KvStore.WatchEvent.Type.PUT || e.kv().version() != 1) return;
            long now = System.nanoTime();
            if (placedAt.putIfAbsent(e.kv().key(), now) != null) return;
            // Instance ids are "<workload>-<five characters>".
            String id = e.kv().key().substring(StateStore.ROOT.length() + "instances/".length());
            String workload = id.substring(0, id.length() - 6);
            int n = placedPerWorkload.computeIfAbsent(workload, w -> new AtomicInteger()).incrementAndGet();
            if (n == o.replicas()) workloadDone.put(workload, now);
            allPlaced.countDown();
        })) {
            long firstRevision = kv.revision();
            long cpuStart = processCpuNanos();
            long jitStart = jitCpuNanos();
            Map<String, Long> submittedAt = new ConcurrentHashMap<>();
            ExecutorService submitters = Executors.newFixedThreadPool(o.submitters());
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (int w = 0; w < o.workloads(); w++) {
                String name = String.format("%s-%05d", prefix, w);
                sent.add(submitters.submit(() -> {
                    submittedAt.put(name, System.nanoTime());
                    int status = cluster.post("/api/v1/workloads", String.format(Locale.ROOT,
                            "{\"name\":\"%s\",\"image\":\"busybox\",\"replicas\":%d,"
                                    + "\"resources\":{\"cpu_millicores\":100,\"memory_mb\":64},"
                                    + "\"command\":[\"sleep\",\"3600\"]}", name, o.replicas()));
                    if (status != 201) throw new IOException("creating workload " + name + " answered " + status);
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get();
            long submitted = System.nanoTime();
            submitters.shutdown();
            if (!allPlaced.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (total - allPlaced.getCount()) + " of " + total
                        + " replicas were placed in 10 minutes");
            }
            long lastRevision = kv.revision();
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            long jitEnd = jitCpuNanos();
            double jitCpuSeconds = jitStart < 0 || jitEnd < 0 ? -1 : (jitEnd - jitStart) / 1e9;
            long last = placedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            Latencies perWorkload = new Latencies(o.workloads());
            workloadDone.forEach((w, done) -> perWorkload.add(done - submittedAt.get(w)));
            double seconds = (last - start) / 1e9;
            return new Result(o.workloads(), o.replicas(), total, o.agents(), o.profile(), (submitted - start) / 1e9,
                    seconds, total / seconds, perWorkload.medianMillis(), perWorkload.percentileMillis(99),
                    "sqlite (WAL, synchronous=FULL)", lastRevision - firstRevision, cpuSeconds, cpuSeconds * 1000 / total,
                    jitCpuSeconds, warmupRounds);
        }
    }
}
