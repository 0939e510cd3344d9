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
 * The spare monitor's request protocol against the real monitor script, with a shell command in
 * place of the OCI runtime: what it prints reaches the log, and its exit code comes back.
 */
class SpareMonitorTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static Path perl;
    static Path script;

    @BeforeAll
    static void installScript() throws IOException {
        perl = Executables.find("perl").orElseThrow();
        script = dir.resolve("monitor.pl");
        try (InputStream in = OciCliRuntime.class.getResourceAsStream("monitor.pl")) {
            Files.write(script, in.readAllBytes());
        }
    }

    /** The log file and the monitor's arguments, with a shell command as the "runtime" and no overlay. */
    private static List<String> request(Path log, Path bundle, String shell) {
        OciCliRuntime.Syscalls nr = OciCliRuntime.syscalls(System.getProperty("os.arch"));
        return List.of(log.toString(), Integer.toString(nr.prctl()), Integer.toString(nr.mount()), bundle.toString(),
                "-", "/bin/sh", "-c", shell);
    }

    @Test
    void aWaitingMonitorRunsTheRequestWithItsOutputInTheLogAndReturnsTheExitCode() throws Exception {
        SpareMonitor spares = new SpareMonitor(perl, script);
        assertThat(spares.hand(List.of("unused"))).as("none started yet").isEmpty();
        spares.replenish();
        await().atMost(WAIT).until(spares::ready);

        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Path log = dir.resolve("container.log");
        Files.writeString(log, "earlier run\n");
        Process monitor = spares.hand(request(log, bundle, "echo out; echo err >&2; read line; echo \"stdin: [$line]\"; exit 3"))
                .orElseThrow();
        assertThat(monitor.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(monitor.exitValue()).isEqualTo(3);
        assertThat(Files.readString(log)).isEqualTo("earlier run\nout\nerr\nstdin: []\n");
        assertThat(spares.ready()).as("a spare serves once").isFalse();
    }

    @Test
    void aSpareNeverUsedEndsWhenItsStdinCloses() throws Exception {
        SpareMonitor spares = new SpareMonitor(perl, script);
        spares.replenish();
        await().atMost(WAIT).until(spares::ready);
        spares.replenish(); // one is waiting: no second one
        Process spare = spares.hand(List.of()).orElseThrow(); // an empty request is no request
        assertThat(spare.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(spare.exitValue()).isZero();
    }
}
