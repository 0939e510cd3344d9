package dev.hypha.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.agent.Agent;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.runtime.Executables;
import dev.hypha.runtime.FileTrees;
import dev.hypha.runtime.OciCliRuntime;
import dev.hypha.runtime.OciRuntimeConfig;
import dev.hypha.runtime.image.BusyboxImage;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.spi.ContainerSpec;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Submit-to-running of one real container through Hypha, against raw {@code runc create} +
 * {@code runc start} of the same busybox bundle, alternating the two in one run so both see the
 * same machine.
 *
 * <p>Hypha's time runs from the moment the workload is POSTed to {@code /api/v1/workloads} until
 * its instance record in the store says {@code running} (seen through a store watch): the API
 * write, the controller's pass and placement, the agent's long-poll, the agent preparing the
 * bundle (overlay of the cached image, config.json), {@code runc run --detach} under the exit-code
 * monitor, and the agent's status report written by the server. The raw time is {@code runc
 * create} and {@code runc start} alone, launched from Java on a copy of the same bundle prepared
 * beforehand. Needs root, runc and busybox-static. Run with
 * {@code java … dev.hypha.bench.StartLatencyBench [runs [warm-up rounds]]}; prints one JSON object
 * on stdout and the breakdown on stderr.
 *
 * <p>The breakdown: until placed (POST to the instance's first write), from placed to running
 * (the agent learning of it, starting it, reporting it), and the runtime adapter's start alone
 * ({@link OciCliRuntime#run}, what the agent calls), each round measured on the same machine.
 */
public final class StartLatencyBench {
    private static final File DEV_NULL = new File("/dev/null");
    /** Exits at once on SIGTERM (a plain sleep as pid 1 ignores it), so each round's delete is quick. */
    private static final List<String> COMMAND_ARGS = List.of("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait");
    private static final String COMMAND = Json.string(COMMAND_ARGS);
    /**
     * A pause before each measured start: the kernel finishes tearing down the container before
     * (cgroups are released asynchronously), so each start measured does not pay for the one before.
     */
    private static final Duration SETTLE = Duration.ofMillis(100);

    /**
     * Rounds of each run before the measured ones, by default: a server and an agent that have
     * started a hundred containers. Each round runs their start path once, and the JVM compiles
     * a path fully only after it ran a few hundred times; measured too early, the rounds time the
     * interpreter and the first-tier compiler (on this machine: placed after 7.1 ms with twenty
     * rounds before, 4.4 ms with a hundred), which a server that has been running no longer uses.
     * Raw runc starts a new process each time and has nothing to warm.
     */
    static final int WARM_UP_ROUNDS = 100;
    /** The first rounds after the server started, reported on their own: what a freshly started server does. */
    static final int FIRST_ROUNDS = 20;

    private StartLatencyBench() {}

    /**
     * @param runs              measured rounds of each
     * @param warmupRounds      unmeasured rounds of each before them
     * @param hyphaMedianMs     submit-to-running through Hypha, median
     * @param placedMedianMs    of that, submit until the instance is placed (API, store, controller)
     * @param agentMedianMs     of that, placed until running: the agent's long-poll, its start of the
     *                          container and its status report, written by the server
     * @param adapterMedianMs   create+start through the agent's runtime adapter alone (OciCliRuntime.run:
     *                          bundle from the image cache, config.json, exit-code monitor, runc)
     * @param rawMedianMs       raw runc create+start, median
     * @param ratio             {@code hyphaMedianMs / rawMedianMs}
     * @param firstRounds       how many of the first warm-up rounds the next three describe (0 without warm-up)
     * @param firstRoundsHyphaMedianMs submit-to-running in the first rounds after the server started, median
     * @param firstRoundsRatio  that against raw runc's median in the same rounds
     */
    public record Result(int runs, int warmupRounds, double hyphaMedianMs, double hyphaP90Ms, double hyphaMinMs,
                         double placedMedianMs, double agentMedianMs, double adapterMedianMs, double adapterP90Ms, double adapterMinMs,
                         double rawMedianMs, double rawP90Ms, double rawMinMs, double ratio, String runtime,
                         int firstRounds, double firstRoundsHyphaMedianMs, double firstRoundsRatio) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : WARM_UP_ROUNDS;
        Result r = run(runs, warmUp);
        System.err.printf(Locale.ROOT, "start latency over %d runs each (after %d unmeasured): hypha submit-to-running median %.1f ms"
                        + " (min %.1f, p90 %.1f), raw runc create+start median %.1f ms (min %.1f, p90 %.1f): %.2f×%n",
                r.runs(), r.warmupRounds(), r.hyphaMedianMs(), r.hyphaMinMs(), r.hyphaP90Ms(), r.rawMedianMs(), r.rawMinMs(), r.rawP90Ms(),
                r.ratio());
        System.err.printf(Locale.ROOT, "  of hypha's: placed after %.1f ms, placed to running %.1f ms (medians);"
                        + " the runtime adapter alone creates and starts in %.1f ms (min %.1f, p90 %.1f)%n",
                r.placedMedianMs(), r.agentMedianMs(), r.adapterMedianMs(), r.adapterMinMs(), r.adapterP90Ms());
        if (r.firstRounds() > 0) {
            System.err.printf(Locale.ROOT, "  the first %d rounds after the server started: median %.1f ms, %.2f× raw%n",
                    r.firstRounds(), r.firstRoundsHyphaMedianMs(), r.firstRoundsRatio());
        }
        System.out.println(Json.string(r));
    }

    public static Result run(int runs) throws Exception {
        return run(runs, WARM_UP_ROUNDS);
    }

    /** @param warmUp rounds of each run first and not counted */
    public static Result run(int runs, int warmUp) throws Exception {
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        if (warmUp < 0) throw new IllegalArgumentException("warm-up rounds must not be negative, got " + warmUp);
        Path runc = Executables.find("runc").orElseThrow(() -> new IllegalStateException(
                "runc is not installed: the start-latency benchmark runs real containers (apt-get install runc)"));
        Path raw = Files.createTempDirectory("hypha-bench-raw");
        try (LocalCluster cluster = LocalCluster.start(BenchProfiles.SIMPLE)) {
            Agent agent = cluster.addAgent("solo", new Resources(2_000, 2_048, 10_240), "runc");
            ImageStore images = new ImageStore(raw.resolve("images"));
            BusyboxImage.ensure(images);
            OciCliRuntime adapter = OciCliRuntime.open(OciRuntimeConfig.runc(raw.resolve("adapter")), images);
            Path bundle = rawBundle(raw, adapter);
            Path rawRoot = Files.createDirectories(raw.resolve("state"));
            Path log = raw.resolve("raw.log");

            Map<String, CompletableFuture<Long>> running = new ConcurrentHashMap<>();
            Map<String, CompletableFuture<Long>> placed = new ConcurrentHashMap<>();
            StateStore store = cluster.server().store();
            String prefix = store.instances().prefix();
            try (KvStore.Watch watch = store.kv().watch(prefix, store.kv().revision(), e -> {
                if (e.type() != KvStore.WatchEvent.Type.PUT) return;
                long now = System.nanoTime();
                var instance = store.instances().decode(e.kv()).value();
                if (e.kv().version() == 1) {
                    placed.computeIfAbsent(instance.workload(), w -> new CompletableFuture<>()).complete(now);
                }
                if (instance.state() == InstanceState.RUNNING) {
                    running.computeIfAbsent(instance.workload(), w -> new CompletableFuture<>()).complete(now);
                }
            })) {
                Latencies hypha = new Latencies(runs);
                Latencies placing = new Latencies(runs);
                Latencies agentRuns = new Latencies(runs);
                Latencies adapterRuns = new Latencies(runs);
                Latencies rawRuns = new Latencies(runs);
                int firstRounds = Math.min(FIRST_ROUNDS, warmUp);
                Latencies hyphaFirst = new Latencies(firstRounds);
                Latencies rawFirst = new Latencies(firstRounds);
                for (int i = -warmUp; i < runs; i++) { // warm-up rounds (i < 0) are not counted
                    String name = "lat-" + (i + warmUp);
                    LocalCluster.pause(SETTLE);
                    long t0 = System.nanoTime();
                    int status = cluster.post("/api/v1/workloads", "{\"name\":\"" + name + "\",\"image\":\"busybox\","
                            + "\"replicas\":1,\"resources\":{\"cpu_millicores\":100,\"memory_mb\":32},\"command\":"
                            + COMMAND + "}");
                    if (status != 201) throw new IllegalStateException("creating workload " + name + " answered " + status);
                    long t1 = running.computeIfAbsent(name, w -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
                    long tPlaced = placed.computeIfAbsent(name, w -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
                    removeAndWait(cluster, name);
                    awaitNoContainers(agent); // its teardown would otherwise overlap the two measurements below

                    String adapterId = "adapter-" + (i + warmUp);
                    ContainerSpec spec = new ContainerSpec(adapterId, "busybox", COMMAND_ARGS, Map.of(),
                            new Resources(100, 32, 0), raw.resolve(adapterId + ".log").toString());
                    LocalCluster.pause(SETTLE);
                    long a0 = System.nanoTime();
                    adapter.run(spec);
                    long a1 = System.nanoTime();
                    adapter.kill(adapterId, Duration.ofSeconds(5));
                    adapter.delete(adapterId);

                    String id = "raw-" + (i + warmUp);
                    LocalCluster.pause(SETTLE);
                    long t2 = System.nanoTime();
                    runc(log, runc.toString(), "--root", rawRoot.toString(), "create", "--bundle", bundle.toString(), id);
                    runc(log, runc.toString(), "--root", rawRoot.toString(), "start", id);
                    long t3 = System.nanoTime();
                    runc(log, runc.toString(), "--root", rawRoot.toString(), "delete", "--force", id);
                    if (i >= 0) {
                        hypha.add(t1 - t0);
                        placing.add(tPlaced - t0);
                        agentRuns.add(t1 - tPlaced);
                        adapterRuns.add(a1 - a0);
                        rawRuns.add(t3 - t2);
                    } else if (i < -warmUp + firstRounds) {
                        hyphaFirst.add(t1 - t0);
                        rawFirst.add(t3 - t2);
                    }
                }
                double h = hypha.medianMillis();
                double r = rawRuns.medianMillis();
                return new Result(runs, warmUp, h, hypha.percentileMillis(90), hypha.percentileMillis(0.001),
                        placing.medianMillis(), agentRuns.medianMillis(), adapterRuns.medianMillis(),
                        adapterRuns.percentileMillis(90), adapterRuns.percentileMillis(0.001), r,
                        rawRuns.percentileMillis(90), rawRuns.percentileMillis(0.001), h / r, "runc", firstRounds,
                        firstRounds == 0 ? 0 : hyphaFirst.medianMillis(),
                        firstRounds == 0 ? 0 : hyphaFirst.medianMillis() / rawFirst.medianMillis());
            }
        } finally {
            FileTrees.delete(raw);
            removeEmptyCgroupParents();
        }
    }

    /**
     * Removes the empty "hypha" cgroup directories that runc leaves under this process's cgroups
     * (it removes a container's leaf, not its parents). One still in use is left alone.
     */
    private static void removeEmptyCgroupParents() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length < 3) continue;
                List<Path> mounts = parts[1].isEmpty()
                        ? List.of(Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"))
                        : List.of(Path.of("/sys/fs/cgroup", parts[1].replace("name=", "")));
                for (Path mount : mounts) {
                    try {
                        Files.deleteIfExists(Path.of(mount + parts[2]).resolve("hypha"));
                    } catch (IOException inUseOrAbsent) {
                        // containers of the agent still run there, or the hierarchy is not mounted
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("cannot read /proc/self/cgroup to clean up: " + e.getMessage());
        }
    }

    /** Deletes the workload and waits until its instance is gone (stopped by the agent, then removed). */
    private static void removeAndWait(LocalCluster cluster, String workload) throws Exception {
        int status = cluster.delete("/api/v1/workloads/" + workload);
        if (status != 200) throw new IllegalStateException("deleting workload " + workload + " answered " + status);
        Instant deadline = Instant.now().plusSeconds(60);
        while (cluster.server().store().instances().values().stream().anyMatch(i -> i.workload().equals(workload))) {
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException(workload + " was not removed in 60 s");
            LocalCluster.pause(Duration.ofMillis(20));
        }
    }

    /**
     * Waits until the agent's runtime has no container left, bundles included (they go a moment
     * after runc forgets the container).
     */
    private static void awaitNoContainers(Agent agent) throws IOException {
        OciCliRuntime runtime = (OciCliRuntime) agent.runtime();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!runtime.list().isEmpty() || hasEntries(runtime.config().bundlesDir())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the agent's container was not removed in 60 s");
            }
            LocalCluster.pause(Duration.ofMillis(5));
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    /** The bundle the agent's runtime makes for busybox, copied, with its own cgroup path. */
    private static Path rawBundle(Path dir, OciCliRuntime runtime) throws IOException, InterruptedException {
        String id = "raw-template";
        runtime.create(new ContainerSpec(id, "busybox", COMMAND_ARGS, Map.of(), new Resources(100, 32, 0),
                dir.resolve("template.log").toString()));
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Path source = runtime.bundle(id);
        runc(dir.resolve("cp.log"), "cp", "-a", source.resolve("rootfs").toString(), bundle.resolve("rootfs").toString());
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(source.resolve("config.json").toFile());
        ((ObjectNode) config.path("linux")).put("cgroupsPath", "hypha/raw-start-latency");
        json.writeValue(bundle.resolve("config.json").toFile(), config);
        runtime.delete(id);
        return bundle;
    }

    /** Runs a command with stdin from /dev/null and output to {@code log} (never a pipe: runc hands its stdio on). */
    private static void runc(Path log, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed; see " + log);
        }
    }
}
