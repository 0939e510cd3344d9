package dev.hypha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --liveness-*} flags of {@code hypha workload create}: a wrong combination or value is
 * a usage error that says why, found before any server is asked (the one named here does not exist).
 */
class WorkloadLivenessFlagsTest {
    @TempDir Path home;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--liveness-http abc/healthz           | --liveness-http 'abc/healthz' is not PORT[/PATH], e.g. 8080/healthz",
            "--liveness-exec true --liveness-tcp 80 | liveness takes exactly one check, got exec and tcp",
            "--liveness-period 10s                 | --liveness-period and --liveness-failure-threshold need a check",
            "--liveness-failure-threshold 2        | --liveness-period and --liveness-failure-threshold need a check",
            "--liveness-tcp 80 --liveness-period 1500ms | --liveness-period must be whole seconds, got 1500ms",
            "--liveness-tcp 0                      | liveness.tcp.port must be between 1 and 65535, got 0",
            "--liveness-http 8080/healthz --liveness-failure-threshold 0 | liveness.failure_threshold must be between 1 and 1000, got 0",
    })
    void badLivenessFlagsAreUsageErrors(String flags, String expected) {
        List<String> args = new ArrayList<>(List.of("workload", "create", "web", "--image", "busybox",
                "--server", "http://127.0.0.1:9"));
        args.addAll(List.of(flags.strip().split("\\s+")));
        CliHarness.Result r = new CliHarness(Map.of(), home).run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains(expected);
    }
}
