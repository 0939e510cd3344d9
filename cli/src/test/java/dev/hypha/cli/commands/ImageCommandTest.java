package dev.hypha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.cli.CliHarness;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code hypha image} through the API against a real server and a real runc node, with an image
 * built by the real umoci: images live in each node's store, the server asks the alive nodes.
 */
class ImageCommandTest {
    @TempDir static Path dir;
    static HyphaServer server;
    static Agent agent;
    static CliHarness cli;

    @BeforeAll
    static void start() throws Exception {
        server = HyphaServer.start(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, "sqlite",
                Duration.ofSeconds(30), List.of(), "simple"));
        agent = Agent.start(new AgentConfig(List.of(server.apiUrl()), server.joinToken(), "n1", null,
                dir.resolve("agent-n1"), null, List.of(), "runc", new Resources(2000, 2048, 10240), "eu-west", 0.1,
                200, null, 0.0));
        cli = new CliHarness(Map.of("HYPHA_SERVER", server.apiUrl().toString(), "HYPHA_TOKEN", server.adminToken()),
                Files.createDirectories(dir.resolve("home")));
        await().atMost(Duration.ofSeconds(60)).until(() -> !server.store().nodes().values().isEmpty());
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.close();
        if (server != null) server.close();
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
    }

    /** A one-file OCI layout: /hello.txt, cmd ["cat", "/hello.txt"]. */
    private static Path layout() throws Exception {
        Path layout = dir.resolve("hello-layout");
        sh("umoci", "init", "--layout", layout.toString());
        sh("umoci", "new", "--image", layout + ":v1");
        Path content = Files.writeString(dir.resolve("hello.txt"), "hello\n");
        sh("umoci", "insert", "--image", layout + ":v1", content.toString(), "/hello.txt");
        sh("umoci", "config", "--image", layout + ":v1", "--config.cmd", "cat", "--config.cmd", "/hello.txt");
        return layout;
    }

    @Test
    void importThenListTheNodesImages() throws Exception {
        CliHarness.Result before = cli.run("image", "list", "-o", "json");
        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(Json.mapper().readTree(before.out()).findValuesAsText("name")).contains("busybox");

        CliHarness.Result imported = cli.run("image", "import", layout().toString(), "--name", "hello");
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).containsPattern("(?m)^n1 +hello +sha256:");

        JsonNode list = Json.mapper().readTree(cli.run("image", "list", "-o", "json").out());
        assertThat(list).anySatisfy(i -> {
            assertThat(i.path("name").asText()).isEqualTo("hello");
            assertThat(i.path("node_id").asText()).isEqualTo("n1");
        });
        assertThat(dir.resolve("agent-n1").resolve("images")).isDirectory();
    }

    @Test
    void somethingThatIsNotAnImageIsExplained() throws Exception {
        Path notAnImage = Files.writeString(dir.resolve("notes.txt"), "not an image");
        CliHarness.Result r = cli.run("image", "import", notAnImage.toString(), "--name", "notes");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("could not import the image").contains("cannot import " + notAnImage);

        r = cli.run("image", "import", dir.resolve("missing").toString(), "--name", "missing");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no such file or directory");
    }

    @ParameterizedTest
    @CsvSource({
            "/images/app.tar, app",
            "/images/App.tar.gz, app",
            "/images/app.tgz, app",
            "./layouts/web/, web",
            "docker://registry.example/team/app:1.2, app",
            "docker://busybox, busybox",
    })
    void defaultNames(String source, String name) {
        assertThat(ImageCommand.defaultName(source)).isEqualTo(name);
    }
}
