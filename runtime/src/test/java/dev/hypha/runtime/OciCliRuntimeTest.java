package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypha.model.Resources;
import dev.hypha.runtime.image.BusyboxImage;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.runtime.probe.LivenessCheck;
import dev.hypha.runtime.probe.LivenessProber;
import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import dev.hypha.spi.ContainerSpec;
import dev.hypha.spi.ContainerStats;
import dev.hypha.spi.ContainerStatus;
import dev.hypha.spi.ContainerStatus.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OciCliRuntime against the real runc on this machine (root, cgroup v1 hybrid): busybox
 * containers are created, started, limited, OOM-killed, stopped and deleted for real.
 */
class OciCliRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path data;
    static ImageStore images;
    static OciCliRuntime runtime;

    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void openRuntime() {
        images = new ImageStore(data.resolve("images"));
        BusyboxImage.ensure(images);
        runtime = OciCliRuntime.open(OciRuntimeConfig.runc(data), images);
    }

    @BeforeEach
    void busyboxPresent() {
        BusyboxImage.ensure(images); // a few ms when present; one test replaces it
    }

    @AfterEach
    void deleteContainers() {
        for (String id : created) runtime.delete(id);
        for (ContainerStatus leftover : runtime.list()) runtime.delete(leftover.id());
    }

    private ContainerSpec spec(String tag, Resources resources, String... command) {
        String id = "t-" + tag + "-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(id);
        return new ContainerSpec(id, "busybox", List.of(command), Map.of("GREETING", "hello from hypha"), resources,
                data.resolve("logs").resolve(id + ".log").toString());
    }

    private ContainerSpec spec(String tag, String... command) {
        return spec(tag, new Resources(250, 32, 0), command);
    }

    private ContainerStatus state(String id) {
        return runtime.state(id).orElseThrow(() -> new AssertionError("runtime does not know " + id));
    }

    private ContainerStatus awaitStopped(String id) {
        await().atMost(WAIT).until(() -> state(id).status() == Status.STOPPED);
        return state(id);
    }

    @Test
    void aContainerRunsLogsStopsGracefullyAndIsDeletedWithItsBundleAndCgroups() throws IOException {
        ContainerSpec spec = spec("life", "sh", "-c", "echo \"$GREETING\"; echo to-stderr >&2; exec sleep 600");
        runtime.create(spec);
        assertThat(state(spec.id()).status()).isEqualTo(Status.CREATED);
        Path bundle = runtime.bundle(spec.id());
        assertThat(bundle.resolve("config.json")).isRegularFile();
        assertThat(bundle.resolve("rootfs/bin/busybox")).isRegularFile();
        assertThat(OverlayRootfs.isMountPoint(bundle.resolve("rootfs"))).as("rootfs is an overlay (root)").isTrue();

        runtime.start(spec.id());
        ContainerStatus running = state(spec.id());
        assertThat(running.status()).isEqualTo(Status.RUNNING);
        assertThat(running.pid()).isPositive();
        assertThat(ProcessHandle.of(running.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(running.createdAt()).isNotNull();
        assertThat(runtime.list()).extracting(ContainerStatus::id).contains(spec.id());

        Path log = Path.of(spec.logPath());
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(Files.readString(log)).contains("hello from hypha").contains("to-stderr"));

        List<Path> cgroups = ContainerRecord.read(bundle).orElseThrow().cgroupPaths().directories();
        assertThat(cgroups).isNotEmpty().allSatisfy(dir -> assertThat(dir).isDirectory());

        // sleep as PID 1 has no TERM handler, so the kernel ignores TERM: KILL follows the grace.
        runtime.kill(spec.id(), Duration.ofMillis(300));
        ContainerStatus stopped = state(spec.id());
        assertThat(stopped.status()).isEqualTo(Status.STOPPED);
        assertThat(stopped.exitCode()).isEqualTo(137);
        assertThat(stopped.oomKilled()).isFalse();
        assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        runtime.delete(spec.id());
        assertThat(runtime.state(spec.id())).isEmpty();
        assertThat(OverlayRootfs.isMountPoint(bundle.resolve("rootfs"))).isFalse();
        assertThat(bundle).doesNotExist();
        assertThat(cgroups).allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(runtime.list()).extracting(ContainerStatus::id).doesNotContain(spec.id());
        assertThat(log).as("the log belongs to the caller and stays").exists();
        // The "hypha" parent is removed once empty; another test run on this machine may still use it.
        for (Path own : CgroupPaths.of(ProcessHandle.current().pid()).directories()) {
            Path parent = own.resolve("hypha");
            if (Files.isDirectory(parent)) {
                try (var children = Files.list(parent)) {
                    assertThat(children.anyMatch(Files::isDirectory)).as("%s is not left empty", parent).isTrue();
                }
            }
        }
    }

    @Test
    void aContainerThatHandlesTermStopsWithinTheGraceAndExitsCleanly() {
        ContainerSpec spec = spec("term", "sh", "-c", "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.05; done");
        runtime.create(spec);
        runtime.start(spec.id());
        await().atMost(WAIT).untilAsserted(() -> assertThat(Files.readString(Path.of(spec.logPath()))).contains("ready"));

        runtime.kill(spec.id(), Duration.ofSeconds(10));

        ContainerStatus stopped = state(spec.id());
        assertThat(stopped.exitCode()).as("TERM handled, not KILLed").isZero();
        assertThat(Path.of(spec.logPath())).content().contains("bye");
    }

    @Test
    void theExitCodeOfTheInitProcessIsCaptured() {
        ContainerSpec spec = spec("exit", "sh", "-c", "exit 3");
        runtime.create(spec);
        runtime.start(spec.id());

        ContainerStatus stopped = awaitStopped(spec.id());
        assertThat(stopped.exitCode()).isEqualTo(3);
        assertThat(stopped.oomKilled()).isFalse();
        assertThat(stopped.pid()).isZero();
        runtime.kill(spec.id(), Duration.ofSeconds(1)); // a no-op on a stopped container
    }

    @Test
    void theMemoryLimitIsSetInTheContainersCgroup() throws IOException {
        ContainerSpec spec = spec("mem", new Resources(500, 32, 0), "sleep", "600");
        runtime.create(spec);
        runtime.start(spec.id());

        Path memory = ContainerRecord.read(runtime.bundle(spec.id())).orElseThrow().cgroupPaths()
                .controller("memory").orElseThrow();
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).strip()).isEqualTo("33554432");
        Path cpu = ContainerRecord.read(runtime.bundle(spec.id())).orElseThrow().cgroupPaths()
                .controller("cpu").orElseThrow();
        assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("50000");
        assertThat(Files.readString(cpu.resolve("cpu.shares")).strip()).isEqualTo("512");
        Path pids = ContainerRecord.read(runtime.bundle(spec.id())).orElseThrow().cgroupPaths()
                .controller("pids").orElseThrow();
        assertThat(Files.readString(pids.resolve("pids.max")).strip()).isEqualTo("1024");

        // pids counts tasks: until runc's init has exec'd sleep, its Go threads count too.
        await().atMost(WAIT).until(() -> runtime.stats(spec.id()).orElseThrow().pids() == 1);
        ContainerStats stats = runtime.stats(spec.id()).orElseThrow();
        assertThat(stats.memoryLimitBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(stats.memoryBytes()).isPositive();
        assertThat(stats.cpuUsageNanos()).isPositive();
        assertThat(stats.networkBytes()).as("host network namespace: not attributed").isZero();
    }

    @Test
    void aContainerExceedingItsMemoryLimitIsReportedOomKilled() {
        // tail keeps the current "line" of /dev/zero in memory, and it never ends.
        ContainerSpec spec = spec("oom", new Resources(500, 16, 0), "tail", "/dev/zero");
        runtime.create(spec);
        runtime.start(spec.id());

        ContainerStatus stopped = awaitStopped(spec.id());
        assertThat(stopped.oomKilled()).isTrue();
        assertThat(stopped.exitCode()).isEqualTo(137);
    }

    @Test
    void aNewRuntimeOnTheSameRootAdoptsRunningAndStoppedContainers() {
        ContainerSpec running = spec("adopt-run", "sleep", "600");
        ContainerSpec exited = spec("adopt-exit", "sh", "-c", "exit 7");
        runtime.create(running);
        runtime.start(running.id());
        runtime.create(exited);
        runtime.start(exited.id());
        awaitStopped(exited.id());

        OciCliRuntime restarted = OciCliRuntime.open(OciRuntimeConfig.runc(data), images);

        List<ContainerStatus> found = restarted.list();
        assertThat(found).extracting(ContainerStatus::id).contains(running.id(), exited.id());
        ContainerStatus r = found.stream().filter(s -> s.id().equals(running.id())).findFirst().orElseThrow();
        assertThat(r.status()).isEqualTo(Status.RUNNING);
        assertThat(r.pid()).isEqualTo(state(running.id()).pid());
        ContainerStatus e = found.stream().filter(s -> s.id().equals(exited.id())).findFirst().orElseThrow();
        assertThat(e.exitCode()).isEqualTo(7);

        restarted.kill(running.id(), Duration.ZERO);
        assertThat(restarted.state(running.id()).orElseThrow().exitCode()).isEqualTo(137);
        restarted.delete(running.id());
        assertThat(runtime.state(running.id())).isEmpty();
    }

    @Test
    void aCreatedContainerThatNeverStartedCanBeKilledAndDeleted() {
        ContainerSpec spec = spec("never", "sleep", "600");
        runtime.create(spec);
        runtime.kill(spec.id(), Duration.ofSeconds(5));
        assertThat(state(spec.id()).status()).isEqualTo(Status.STOPPED);
        runtime.delete(spec.id());
        assertThat(runtime.bundle(spec.id())).doesNotExist();
    }

    @Test
    void livenessExecRunsInsideTheContainer() {
        ContainerSpec spec = spec("live", "sh", "-c", "touch /tmp/alive; exec sleep 600");
        runtime.create(spec);
        runtime.start(spec.id());
        await().atMost(WAIT).until(() -> Files.exists(runtime.bundle(spec.id()).resolve("rootfs/tmp/alive")));

        try (LivenessProber prober = new LivenessProber(runtime::exec)) {
            assertThat(prober.probe(spec.id(), LivenessCheck.exec("test", "-f", "/tmp/alive")).healthy()).isTrue();
            assertThat(prober.probe(spec.id(), LivenessCheck.exec("test", "-f", "/tmp/missing")).detail())
                    .contains("exited 1");
            LivenessCheck.Exec slow = new LivenessCheck.Exec(List.of("sleep", "30"), Duration.ofSeconds(10),
                    Duration.ofMillis(300), 3);
            assertThat(prober.probe(spec.id(), slow).detail()).contains("did not finish within 300 ms");
        }
    }

    @Test
    void whereAnOverlayCannotBeMountedTheRootfsIsCopied(@TempDir Path parent) throws IOException {
        // A ',' in the bundle path cannot be written in overlay mount options: the runtime copies.
        Path commaData = parent.resolve("data,copy");
        OciCliRuntime copying = OciCliRuntime.open(OciRuntimeConfig.runc(commaData), images);
        String id = "t-copy-" + UUID.randomUUID().toString().substring(0, 8);
        ContainerSpec spec = new ContainerSpec(id, "busybox", List.of("sh", "-c", "echo copied > /tmp/out; sleep 600"),
                Map.of(), new Resources(100, 16, 0), commaData.resolve("logs/" + id + ".log").toString());
        try {
            copying.create(spec);
            Path rootfs = copying.bundle(id).resolve("rootfs");
            assertThat(OverlayRootfs.isMountPoint(rootfs)).isFalse();
            assertThat(rootfs.resolve("bin/busybox")).isRegularFile();
            copying.start(id);
            await().atMost(WAIT).untilAsserted(() -> assertThat(rootfs.resolve("tmp/out")).hasContent("copied\n"));
        } finally {
            copying.delete(id);
        }
        assertThat(copying.bundle(id)).doesNotExist();
        assertThat(images.cachedRootfs(images.resolve("busybox")).resolve("tmp/out")).as("cache untouched").doesNotExist();
    }

    @Test
    void whereTheKernelRefusesTheOverlayTheRootfsIsCopied(@TempDir Path parent) throws IOException {
        // The kernel reads '\' in overlay options as an escape, so this upper directory does not exist
        // for it: the monitor's mount fails, and the runtime copies from then on.
        Path refusedData = parent.resolve("data\\refused");
        OciCliRuntime copying = OciCliRuntime.open(OciRuntimeConfig.runc(refusedData), images);
        List<String> ids = List.of("t-refused-" + UUID.randomUUID().toString().substring(0, 8),
                "t-refused-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            for (String id : ids) {
                ContainerSpec spec = new ContainerSpec(id, "busybox", List.of("sh", "-c", "echo copied > /tmp/out; sleep 600"),
                        Map.of(), new Resources(100, 16, 0), refusedData.resolve("logs/" + id + ".log").toString());
                copying.run(spec);
                Path bundle = copying.bundle(id);
                assertThat(OverlayRootfs.isMountPoint(bundle.resolve("rootfs"))).isFalse();
                assertThat(bundle.resolve("upper")).doesNotExist();
                assertThat(copying.state(id).orElseThrow().status()).isEqualTo(Status.RUNNING);
                await().atMost(WAIT).untilAsserted(() -> assertThat(bundle.resolve("rootfs/tmp/out")).hasContent("copied\n"));
            }
        } finally {
            for (String id : ids) copying.delete(id);
        }
        for (String id : ids) assertThat(copying.bundle(id)).doesNotExist();
        assertThat(images.cachedRootfs(images.resolve("busybox")).resolve("tmp/out")).as("cache untouched").doesNotExist();
    }

    @Test
    void replacingAnImageKeepsTheCachedTreeThatARunningContainerStillUses() throws IOException {
        Path layout = images.layout();
        images.importImage(layout, "busybox-old"); // the same content under a second name: shares the cache
        ContainerSpec spec = new ContainerSpec("t-old-" + UUID.randomUUID().toString().substring(0, 8), "busybox-old",
                List.of("sleep", "600"), Map.of(), new Resources(100, 16, 0), data.resolve("logs/old.log").toString());
        created.add(spec.id());
        runtime.create(spec);
        runtime.start(spec.id());
        Path cache = images.cachedRootfs(images.resolve("busybox-old"));

        // Both names gone: the digest is unreferenced, but an overlay still uses its tree.
        images.remove("busybox-old");
        images.remove("busybox");
        assertThat(cache).isDirectory();
        assertThat(state(spec.id()).running()).isTrue();

        runtime.kill(spec.id(), Duration.ZERO);
        runtime.delete(spec.id());
        BusyboxImage.ensure(images); // rebuilding is a change: the unused tree is collected now
        assertThat(cache).doesNotExist();
    }

    @Test
    void containersCanBeHandledConcurrently() throws Exception {
        List<ContainerSpec> specs = new ArrayList<>();
        for (int i = 0; i < 4; i++) specs.add(spec("par" + i, "sh", "-c", "exit " + (10 + specs.size())));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> exits = new ArrayList<>();
            for (ContainerSpec s : specs) {
                exits.add(pool.submit(() -> {
                    runtime.create(s);
                    runtime.start(s.id());
                    await().atMost(WAIT).until(() -> state(s.id()).status() == Status.STOPPED);
                    Integer code = state(s.id()).exitCode();
                    runtime.delete(s.id());
                    return code;
                }));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : exits) codes.add(f.get(60, TimeUnit.SECONDS));
            assertThat(codes).containsExactly(10, 11, 12, 13);
        }
        for (ContainerSpec s : specs) assertThat(runtime.bundle(s.id())).doesNotExist();
    }

    @Test
    void unknownContainersAreEmptyAndIgnored() {
        assertThat(runtime.state("no-such-container")).isEmpty();
        assertThat(runtime.stats("no-such-container")).isEmpty();
        runtime.kill("no-such-container", Duration.ofSeconds(1));
        runtime.delete("no-such-container");
        assertThatThrownBy(() -> runtime.start("no-such-container")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void creatingTheSameIdTwiceFailsWithoutHarmingTheFirst() {
        ContainerSpec spec = spec("twice", "sleep", "600");
        runtime.create(spec);
        assertThatThrownBy(() -> runtime.create(spec)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("already exists");
        assertThat(state(spec.id()).status()).isEqualTo(Status.CREATED);
    }

    @Test
    void aMissingProgramIsTheWorkloadsFaultAndLeavesNothingBehind() {
        ContainerSpec spec = spec("noexec", "/no/such/program");
        assertThatThrownBy(() -> runtime.create(spec)).isInstanceOfSatisfying(RuntimeFailure.class, f -> {
            assertThat(f.getMessage()).contains("/no/such/program");
            assertThat(f.nodeFault()).isFalse();
        });
        assertThat(runtime.state(spec.id())).isEmpty();
        assertThat(runtime.bundle(spec.id())).doesNotExist();
    }

    @Test
    void anUnknownImageIsReportedWithHowToImportIt() {
        ContainerSpec spec = new ContainerSpec("t-noimage", "no-such-image", List.of("sh"), Map.of(),
                new Resources(100, 16, 0), data.resolve("logs/t-noimage.log").toString());
        created.add(spec.id());
        assertThatThrownBy(() -> runtime.create(spec)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("no-such-image").hasMessageContaining("import");
        assertThat(runtime.bundle(spec.id())).doesNotExist();
    }

    @Test
    void runCreatesAndStartsInOneStepUnderTheMonitor() throws IOException {
        ContainerSpec spec = spec("run", "sh", "-c", "echo \"$GREETING\"; exec sleep 600");
        runtime.run(spec);

        ContainerStatus running = state(spec.id());
        assertThat(running.status()).isEqualTo(Status.RUNNING);
        Path bundle = runtime.bundle(spec.id());
        assertThat(running.pid()).isEqualTo(Long.parseLong(Files.readString(bundle.resolve("init.pid")).strip()));
        assertThat(running.createdAt()).isNotNull();
        assertThat(OverlayRootfs.isMountPoint(bundle.resolve("rootfs"))).as("rootfs is an overlay (root)").isTrue();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(Path.of(spec.logPath())).content().contains("hello from hypha"));

        runtime.kill(spec.id(), Duration.ZERO);
        assertThat(state(spec.id()).exitCode()).isEqualTo(137);
    }

    @Test
    void aCommandThatEndsAtOnceUnderRunKeepsItsExitCode() {
        // The init may be gone before the runtime has returned: the monitor still reaps it.
        for (int code : List.of(0, 5, 42)) {
            ContainerSpec spec = spec("quick" + code, "sh", "-c", "exit " + code);
            runtime.run(spec);
            ContainerStatus stopped = awaitStopped(spec.id());
            assertThat(stopped.exitCode()).as("exit %d", code).isEqualTo(code);
            assertThat(stopped.oomKilled()).isFalse();
            runtime.delete(spec.id());
            assertThat(runtime.bundle(spec.id())).doesNotExist();
        }
    }

    @Test
    void aMissingProgramUnderRunIsTheWorkloadsFaultAndLeavesNothingBehind() {
        ContainerSpec spec = spec("run-noexec", "/no/such/program");
        assertThatThrownBy(() -> runtime.run(spec)).isInstanceOfSatisfying(RuntimeFailure.class, f -> {
            assertThat(f.getMessage()).contains("/no/such/program");
            assertThat(f.nodeFault()).isFalse();
        });
        assertThat(runtime.state(spec.id())).isEmpty();
        assertThat(runtime.bundle(spec.id())).doesNotExist();
    }

    @Test
    void statesAnsweredFromRecordsAgreeWithTheRuntimesOwn() throws IOException {
        ContainerSpec created = spec("agree-created", "sleep", "600");
        ContainerSpec started = spec("agree-started", "sleep", "600");
        ContainerSpec ran = spec("agree-ran", "sleep", "600");
        ContainerSpec paused = spec("agree-paused", "sleep", "600");
        ContainerSpec exited = spec("agree-exited", "sh", "-c", "exit 9");
        runtime.create(created);
        runtime.create(started);
        runtime.start(started.id());
        runtime.run(ran);
        runtime.run(paused);
        runtime.run(exited);
        awaitStopped(exited.id());
        runc("pause", paused.id());
        try {
            Map<String, ContainerStatus> listed = new HashMap<>();
            for (ContainerStatus c : runtime.list()) listed.put(c.id(), c);
            Map<String, Status> expected = Map.of(created.id(), Status.CREATED, started.id(), Status.RUNNING,
                    ran.id(), Status.RUNNING, paused.id(), Status.PAUSED, exited.id(), Status.STOPPED);
            JsonNode own = new ObjectMapper().readTree(runc("list", "--format", "json"));
            List<String> compared = new ArrayList<>();
            for (JsonNode c : own) {
                String id = c.path("id").asText();
                if (!expected.containsKey(id)) continue;
                compared.add(id);
                ContainerStatus mine = listed.get(id);
                assertThat(mine).as("listed %s", id).isNotNull();
                assertThat(mine.status()).as("status of %s", id).isEqualTo(expected.get(id));
                assertThat(mine.status().name().toLowerCase(Locale.ROOT)).as("runc's word for %s", id)
                        .isEqualTo(c.path("status").asText());
                if (mine.status() != Status.STOPPED) assertThat(mine.pid()).as("pid of %s", id).isEqualTo(c.path("pid").asLong());
                assertThat(state(id)).as("state of %s", id).isEqualTo(mine);
            }
            assertThat(compared).as("runc lists them all").containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(listed.get(exited.id()).exitCode()).isEqualTo(9);
        } finally {
            runc("resume", paused.id());
        }
        assertThat(state(paused.id()).status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aContainersCgroupsAreNestedUnderThoseOfTheRuntimesCaller() throws IOException {
        // Where the record of a container whose init ended at once gets its cgroups from.
        ContainerSpec spec = spec("nested", "sleep", "600");
        runtime.run(spec);
        CgroupPaths actual = ContainerRecord.read(runtime.bundle(spec.id())).orElseThrow().cgroupPaths();
        CgroupPaths derived = CgroupPaths.of(ProcessHandle.current().pid()).nested("hypha/" + spec.id());
        assertThat(actual.controller("memory")).isEqualTo(derived.controller("memory"));
        assertThat(derived.directories()).containsAll(actual.directories());
    }

    /** Runs runc itself on the runtime's state root; returns what it printed. */
    private static String runc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Executables.find("runc").orElseThrow().toString(), "--root",
                runtime.config().stateRoot().toString()));
        cmd.addAll(List.of(args));
        CommandRunner.Result r = new CommandRunner(data.resolve("scratch")).run(cmd, WAIT);
        assertThat(r.ok()).as("%s: %s", cmd, r.message()).isTrue();
        return r.stdout();
    }

    @Test
    void invalidIdsAreRefusedBeforeTouchingTheDisk() {
        assertThatThrownBy(() -> runtime.state("../etc")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("not valid");
    }
}
