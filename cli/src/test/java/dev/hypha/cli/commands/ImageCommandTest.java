package dev.hypha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.CliHarness;
import dev.hypha.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code hypha image} on a real node image store, with an image built by the real umoci. */
class ImageCommandTest {
    @TempDir Path home;

    private void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
    }

    /** A one-file OCI layout: /hello.txt, cmd ["cat", "/hello.txt"]. */
    private Path layout() throws Exception {
        Path layout = home.resolve("hello-layout");
        sh("umoci", "init", "--layout", layout.toString());
        sh("umoci", "new", "--image", layout + ":v1");
        Path content = Files.writeString(home.resolve("hello.txt"), "hello\n");
        sh("umoci", "insert", "--image", layout + ":v1", content.toString(), "/hello.txt");
        sh("umoci", "config", "--image", layout + ":v1", "--config.cmd", "cat", "--config.cmd", "/hello.txt");
        return layout;
    }

    @Test
    void importThenListTheNodesImages() throws Exception {
        CliHarness cli = new CliHarness(Map.of(), home);
        Path layout = layout();
        Path dataDir = home.resolve("agent-data");

        CliHarness.Result empty = cli.run("image", "list", "--data-dir", dataDir.toString());
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(empty.out()).isEqualTo("No images.\n");

        CliHarness.Result imported = cli.run("image", "import", layout.toString(), "--name", "hello", "--data-dir", dataDir.toString());
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).startsWith("image/hello imported (sha256:");

        CliHarness.Result list = cli.run("image", "list", "--data-dir", dataDir.toString());
        assertThat(list.out()).containsPattern("(?m)^NAME +DIGEST +SIZE +CREATED\n").containsPattern("(?m)^hello +sha256:[0-9a-f]{12} ");

        JsonNode json = Json.mapper().readTree(cli.run("image", "list", "--data-dir", dataDir.toString(), "-o", "json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("name").asText()).isEqualTo("hello");
        assertThat(json.get(0).path("config").path("cmd").toString()).isEqualTo("[\"cat\",\"/hello.txt\"]");
        assertThat(Files.isDirectory(dataDir.resolve("images"))).isTrue();
    }

    @Test
    void theDefaultStoreIsTheNodeThatUpRuns() throws Exception {
        CliHarness cli = new CliHarness(Map.of(), home);
        CliHarness.Result r = cli.run("image", "import", layout().toString(), "--node-id", "solo");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("image/hello-layout imported");
        assertThat(Files.isDirectory(home.resolve(".hypha/agent-solo/images/layout"))).isTrue();
    }

    @Test
    void somethingThatIsNotAnImageIsExplained() throws Exception {
        CliHarness cli = new CliHarness(Map.of(), home);
        Path notAnImage = Files.writeString(home.resolve("notes.txt"), "not an image");
        CliHarness.Result r = cli.run("image", "import", notAnImage.toString(), "--data-dir", home.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("hypha: cannot import " + notAnImage);

        r = cli.run("image", "import", home.resolve("missing").toString(), "--data-dir", home.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no such file or directory");
    }

    @ParameterizedTest
    @CsvSource({
            "/images/app.tar, app",
            "/images/App.tar.gz, app",
            "/images/app.tgz, app",
            "./layouts/web/, web",
            "docker://registry.example/team/app:1.2, app:1.2",
            "docker://busybox, busybox",
            "oci:/srv/layout:v1, layout:v1",
    })
    void defaultNames(String source, String name) {
        assertThat(ImageCommand.defaultName(source)).isEqualTo(name);
    }
}
