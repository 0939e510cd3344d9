package dev.hypha.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.model.Resources;
import dev.hypha.runtime.image.BusyboxImage;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.spi.ContainerSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures container start latency: {@link OciCliRuntime#run} of a busybox container (what the
 * agent does), against plain {@code runc create} + {@code runc start} of the same bundle
 * launched from Java, alternating the two in one run so both see the same machine load.
 *
 * <p>OciCliRuntime's figure includes what it adds on purpose: the rootfs from the image
 * cache (an overlay of the cached tree), writing config.json, the exit-code monitor, and recording the cgroup
 * paths. Not a unit test (it times things); run it by hand as root:
 * {@code java -cp <test classpath> dev.hypha.runtime.StartLatency [runs]}.
 */
public final class StartLatency {
    private static final File DEV_NULL = new File("/dev/null");

    private StartLatency() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Path data = Files.createTempDirectory("hypha-start-latency");
        try {
            measure(data, runs);
        } finally {
            FileTrees.delete(data);
            // The raw runs leave the empty "hypha" cgroup parents that runc does not remove.
            for (Path own : CgroupPaths.of(ProcessHandle.current().pid()).directories()) {
                try {
                    Files.deleteIfExists(own.resolve("hypha"));
                } catch (IOException inUse) {
                    // another container on this machine still uses it
                }
            }
        }
    }

    private static void measure(Path data, int runs) throws Exception {
        ImageStore images = new ImageStore(data.resolve("images"));
        BusyboxImage.ensure(images);
        OciCliRuntime runtime = OciCliRuntime.open(OciRuntimeConfig.runc(data), images);
        Path runc = Executables.find("runc").orElseThrow();
        Path rawRoot = Files.createDirectories(data.resolve("raw-state"));
        Path rawBundle = rawBundle(runtime, data);
        Path log = data.resolve("logs");
        Files.createDirectories(log);

        List<Long> hypha = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        for (int i = -3; i < runs; i++) { // three warm-up rounds, not counted
            String id = "lat-" + (i + 3);
            ContainerSpec spec = new ContainerSpec(id, "busybox", List.of("sleep", "600"), Map.of(),
                    new Resources(100, 32, 0), log.resolve(id + ".log").toString());
            long t0 = System.nanoTime();
            runtime.run(spec);
            long t1 = System.nanoTime();
            runtime.kill(id, Duration.ZERO);
            runtime.delete(id);

            String rawId = "raw-" + (i + 3);
            long t2 = System.nanoTime();
            run(List.of(runc.toString(), "--root", rawRoot.toString(), "create", "--bundle", rawBundle.toString(), rawId),
                    log.resolve(rawId + ".log"));
            run(List.of(runc.toString(), "--root", rawRoot.toString(), "start", rawId), log.resolve(rawId + ".log"));
            long t3 = System.nanoTime();
            run(List.of(runc.toString(), "--root", rawRoot.toString(), "delete", "--force", rawId),
                    log.resolve(rawId + ".log"));
            if (i >= 0) {
                hypha.add(t1 - t0);
                raw.add(t3 - t2);
            }
        }
        double h = median(hypha) / 1e6;
        double r = median(raw) / 1e6;
        System.out.printf("runs: %d each, alternating%n", runs);
        System.out.printf("OciCliRuntime run           median %.1f ms (min %.1f, max %.1f)%n", h,
                hypha.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6,
                hypha.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6);
        System.out.printf("raw runc create+start       median %.1f ms (min %.1f, max %.1f)%n", r,
                raw.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6,
                raw.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6);
        System.out.printf("ratio OciCliRuntime / raw   %.2f%n", h / r);
    }

    /** A copy of the bundle OciCliRuntime writes for busybox, with its own cgroup path. */
    private static Path rawBundle(OciCliRuntime runtime, Path data) throws IOException, InterruptedException {
        String id = "lat-template";
        runtime.create(new ContainerSpec(id, "busybox", List.of("sleep", "600"), Map.of(), new Resources(100, 32, 0),
                data.resolve("logs").resolve(id + ".log").toString()));
        Path bundle = data.resolve("raw-bundle");
        Files.createDirectories(bundle);
        Path source = runtime.bundle(id);
        run(List.of("cp", "-a", source.resolve("rootfs").toString(), bundle.resolve("rootfs").toString()),
                data.resolve("cp.log"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(source.resolve("config.json").toFile());
        ((ObjectNode) config.path("linux")).put("cgroupsPath", "hypha/raw-start-latency");
        json.writeValue(bundle.resolve("config.json").toFile(), config);
        runtime.delete(id);
        return bundle;
    }

    private static void run(List<String> command, Path output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + output);
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
