package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's request protocol against the real monitor script, with a shell command in place
 * of the OCI runtime: what it prints reaches the log, stdin is /dev/null, its exit code comes
 * back, and the monitor pid is recorded; through a spare as through a monitor started on demand.
 */
class MonitorLauncherTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static MonitorLauncher launcher;

    @BeforeAll
    static void installScript() throws IOException {
        Path script = dir.resolve("monitor.pl");
        try (InputStream in = OciCliRuntime.class.getResourceAsStream("monitor.pl")) {
            Files.write(script, in.readAllBytes());
        }
        launcher = new MonitorLauncher(Executables.find("perl").orElseThrow(), script,
                OciCliRuntime.syscalls(System.getProperty("os.arch")));
    }

    /** The log file, the bundle, no overlay, and a shell command as the "runtime". */
    private static List<String> request(Path log, Path bundle, String shell) {
        return List.of(log.toString(), bundle.toString(), "-", "/bin/sh", "-c", shell);
    }

    private static void runsTheRequest(String tag) throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle-" + tag));
        Path log = dir.resolve(tag + ".log");
        Files.writeString(log, "earlier run\n");
        Process monitor = launcher.launch(request(log, bundle,
                "echo out; echo err >&2; read line; echo \"stdin: [$line]\"; exit 3"));
        assertThat(monitor.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(monitor.exitValue()).isEqualTo(3);
        assertThat(Files.readString(log)).isEqualTo("earlier run\nout\nerr\nstdin: []\n");
        assertThat(bundle.resolve("monitor.pid")).exists();
    }

    @Test
    void aMonitorStartedOnDemandRunsTheRequest() throws Exception {
        assertThat(launcher.spareReady()).isFalse();
        runsTheRequest("on-demand");
    }

    @Test
    void aSpareRunsTheRequestOnceAndIsReplacedOnlyWhenAsked() throws Exception {
        launcher.replenish();
        await().atMost(WAIT).until(launcher::spareReady);
        runsTheRequest("spare");
        assertThat(launcher.spareReady()).as("a spare serves once").isFalse();
    }

    @Test
    void aRefusedOverlayMountIsExitCode124AndNothingRuns() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle-refused"));
        Files.createDirectories(bundle.resolve("rootfs"));
        Path log = dir.resolve("refused.log");
        String options = "lowerdir=" + dir.resolve("no-such-lower") + ",upperdir=" + bundle.resolve("upper")
                + ",workdir=" + bundle.resolve("work");
        Process monitor = launcher.launch(List.of(log.toString(), bundle.toString(), options, "/bin/sh", "-c",
                "echo ran"));
        assertThat(monitor.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(monitor.exitValue()).isEqualTo(124);
        assertThat(log).as("nothing ran").isEmptyFile();
        assertThat(bundle.resolve("monitor.pid")).doesNotExist();
    }
}
