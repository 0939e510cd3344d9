package dev.hypha.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.cli.CliHarness;
import dev.hypha.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hypha up} in-process: it says where things are, the client finds it, and Ctrl-C stops it. */
class UpCommandTest {
    @TempDir Path home;

    @Test
    void upServesTheClientAndStopsOnShutdown() throws Exception {
        CliHarness harness = new CliHarness(Map.of(), home);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> up = CompletableFuture.supplyAsync(() -> Main.run(
                harness.context(new PrintWriter(out, true), new PrintWriter(err, true)),
                "up", "--runtime", "fake", "--api-port", "0", "--gossip-port", "0", "--node-id", "solo",
                "--capacity", "cpu=2,memory=2Gi"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("Press Ctrl-C") || up.isDone());
            assertThat(up.isDone()).as("up stopped early: %s %s", out, err).isFalse();
            String printed = out.toString();
            assertThat(printed).contains("node solo (runtime fake)",
                    "Token:      " + home.resolve(".hypha").resolve("admin.token").toAbsolutePath());
            Matcher api = Pattern.compile("API: +(\\S+)").matcher(printed);
            assertThat(api.find()).isTrue();
            assertThat(printed).contains("export HYPHA_SERVER=" + api.group(1));
            assertThat(Files.exists(home.resolve(".hypha").resolve("agent-solo"))).isTrue();

            // Only the server URL is given: the token comes from $HOME/.hypha/admin.token, as after a real `up`.
            CliHarness client = new CliHarness(Map.of("HYPHA_SERVER", api.group(1)), home);
            await().atMost(Duration.ofSeconds(30)).until(() -> client.run("node", "list").out().contains("solo"));
            CliHarness.Result created = client.run("workload", "create", "hello", "--image", "busybox", "--wait",
                    "--timeout", "60s");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            assertThat(created.err()).contains("hello: 1/1 ready");
        } finally {
            harness.shutdown();
        }
        assertThat(up.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void badFlagsAreUsageErrorsBeforeAnythingStarts() {
        CliHarness harness = new CliHarness(Map.of(), home);
        CliHarness.Result r = harness.run("up", "--runtime", "docker", "--api-port", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--runtime 'docker' is not one of runc, crun, youki, fake");

        r = harness.run("up", "--runtime", "fake", "--api-port", "70000");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("api port must be 0..65535");

        r = harness.run("up", "--runtime", "fake", "--node-id", "Bad_Name");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--node-id 'Bad_Name' is not a valid name");

        r = harness.run("agent", "--server", "localhost:7070", "--join-token", "x", "--runtime", "fake");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--server 'localhost:7070' is not a server URL");
        assertThat(Files.exists(home.resolve(".hypha"))).isFalse();
    }
}
