package dev.hypha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI does before (or without) reaching a server: usage errors, help, an unreachable server. */
class CliWithoutServerTest {
    @TempDir Path home;

    CliHarness cli() {
        return new CliHarness(Map.of(), home);
    }

    @Test
    void versionNamesHyphaAndJava() {
        CliHarness.Result r = cli().run("--version");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("hypha ").contains("java ");
    }

    @Test
    void helpListsTheVerbs() {
        CliHarness.Result r = cli().run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("workload", "instance", "logs", "apply", "node", "member", "intent");
    }

    @Test
    void subcommandHelpWorks() {
        CliHarness.Result r = cli().run("workload", "create", "--help");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("--image", "--replicas", "--cpu", "--wait", "--timeout", "-o, --output");
    }

    @Test
    void groupWithoutVerbPrintsItsUsageAndExits2() {
        CliHarness.Result r = cli().run("workload");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("create", "list", "explain");
    }

    @Test
    void badQuantityIsAUsageErrorThatSaysWhy() {
        CliHarness.Result r = cli().run("workload", "create", "web", "--image", "busybox", "--memory", "64MB");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("hypha: Invalid value for option '--memory'", "unknown unit 'MB'",
                "Run 'hypha workload create --help' for usage.");
    }

    @Test
    void badDurationIsAUsageError() {
        CliHarness.Result r = cli().run("workload", "scale", "web", "3", "--wait", "--timeout", "30");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("has no unit: write 30s, 30m or 30ms");
    }

    @Test
    void invalidNameIsAUsageError() {
        CliHarness.Result r = cli().run("workload", "create", "Web", "--image", "busybox");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("name 'Web' is not a valid name");
    }

    @Test
    void unknownVerbSuggestsTheNearestOne() {
        CliHarness.Result r = cli().run("workload", "lst");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Did you mean", "workload list");
    }

    @Test
    void unknownOutputFormatIsAUsageError() {
        CliHarness.Result r = cli().run("workload", "list", "-o", "xml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--output", "xml");
    }

    @Test
    void malformedServerFlagIsAUsageError() {
        CliHarness.Result r = cli().run("workload", "list", "--server", "localhost:7070");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--server 'localhost:7070' is not a server URL");
    }

    @Test
    void unreachableServerSaysSoAndExits1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliHarness.Result r = cli().run("workload", "list", "--server", "http://127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("hypha: cannot reach the server at http://127.0.0.1:" + port
                + " (is `hypha up` running?)\n");
    }

    @Test
    void applyRefusesABadManifestBeforeSendingAnything() throws Exception {
        Path manifest = Files.writeString(home.resolve("bad.yaml"), """
                kind: Workload
                name: web
                image: busybox
                ---
                kind: Workload
                name: api
                image: busybox
                replicas: 2
                resources: {cpu: 250m, memroy: 64Mi}
                """);
        // The server does not exist: had the first document been sent, the error would say so.
        CliHarness.Result r = cli().run("apply", "-f", manifest.toString(), "--server", "http://127.0.0.1:9");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("document 2 (Workload): unknown field 'memroy'");
    }

    @Test
    void applyNamesAMissingFile() {
        CliHarness.Result r = cli().run("apply", "-f", home.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read", "nope.yaml", "no such file");
    }

    @Test
    void agentFlagsAreCheckedBeforeItStarts() {
        CliHarness.Result r = cli().run("agent", "--server", "localhost:7070", "--join-token", "x", "--runtime", "fake");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--server 'localhost:7070' is not a server URL");

        r = cli().run("agent", "--server", "http://127.0.0.1:7070", "--join-token", "x", "--runtime", "docker");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--runtime 'docker' is not one of runc, crun, youki, fake");

        r = cli().run("agent", "--server", "http://127.0.0.1:7070", "--join-token", "x", "--capacity", "cpu=2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--capacity needs both cpu and memory");

        r = cli().run("agent", "--server", "http://127.0.0.1:7070", "--join-token", "x", "--runtime", "fake",
                "--fake-failure-rate", "1.5");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--fake-failure-rate must be in 0..1");
        assertThat(Files.exists(home.resolve(".hypha"))).as("nothing was created").isFalse();
    }
}
