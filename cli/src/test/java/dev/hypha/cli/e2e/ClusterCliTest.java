package dev.hypha.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.cli.CliHarness;
import dev.hypha.cli.CliHarness.Result;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client verbs against a real cluster: a {@link HyphaServer} (SQLite in a temp dir, API on a
 * free port, no gossip) and one {@link Agent} on the fake runtime, with the CLI run in-process.
 * Each test uses its own workload names, so they share one cluster.
 */
class ClusterCliTest {
    @TempDir static Path dir;
    static HyphaServer server;
    static Agent agent;
    static CliHarness cli;
    static String token;

    @BeforeAll
    static void startCluster() throws Exception {
        server = HyphaServer.start(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, "sqlite",
                Duration.ofSeconds(30), List.of(), "simple"));
        agent = Agent.start(new AgentConfig(List.of(server.apiUrl()), server.joinToken(), "n1", "alice",
                dir.resolve("agent-n1"), null, List.of(), "fake", new Resources(4000, 8192, 10240), "eu-west", 0.12,
                250, null, 0.0));
        token = Files.readString(server.adminTokenFile()).strip();
        cli = new CliHarness(Map.of("HYPHA_SERVER", server.apiUrl().toString(), "HYPHA_TOKEN", token),
                Files.createDirectories(dir.resolve("home")));
    }

    @AfterAll
    static void stopCluster() {
        if (agent != null) agent.close();
        if (server != null) server.close();
    }

    static Result ok(String... args) {
        Result r = cli.run(args);
        assertThat(r.exitCode()).as("hypha %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    static JsonNode json(Result r) throws Exception {
        return Json.mapper().readTree(r.out());
    }

    @Test
    void workloadLifecycle() throws Exception {
        Result created = ok("workload", "create", "web", "--image", "busybox", "--replicas", "3", "--cpu", "250m",
                "--memory", "64Mi", "--env", "MODE=prod", "--env", "PORT=8080", "--wait", "--timeout", "60s", "--", "httpd", "-f", "-p", "8080");
        assertThat(created.out()).isEqualTo("workload/web created\n");
        assertThat(created.err()).contains("web: 3/3 ready");
        assertThat(created.err().strip().lines().toList()).last().isEqualTo("web: 3/3 ready");

        assertThat(ok("workload", "list").out()).containsPattern("(?m)^NAME +READY +IMAGE")
                .containsPattern("(?m)^web +3/3 +busybox +250m +64Mi");

        JsonNode list = json(ok("workload", "list", "-o", "json"));
        JsonNode web = null;
        for (JsonNode w : list) if (w.path("name").asText().equals("web")) web = w;
        assertThat(web).isNotNull();
        assertThat(web.path("replicas").asInt()).isEqualTo(3);
        assertThat(web.path("resources").path("cpu_millicores").asLong()).isEqualTo(250);
        assertThat(web.path("command").toString()).isEqualTo("[\"httpd\",\"-f\",\"-p\",\"8080\"]");

        JsonNode fromYaml = Json.yaml().readTree(ok("workload", "get", "web", "-o", "yaml").out());
        assertThat(fromYaml.path("name").asText()).isEqualTo("web");
        assertThat(fromYaml.path("env").path("MODE").asText()).isEqualTo("prod");
        assertThat(fromYaml.path("command").get(3).isTextual()).as("8080 stays a string").isTrue();
        assertThat(fromYaml.path("env").path("PORT").isTextual()).as("so does the environment's 8080").isTrue();

        String described = ok("workload", "get", "web").out();
        assertThat(described).contains("Name:", "web", "Instances:", "MODE=prod");
        assertThat(described.lines().filter(l -> l.contains(" running ")).count()).isEqualTo(3);

        JsonNode instances = json(ok("instance", "list", "--workload", "web", "-o", "json"));
        assertThat(instances).hasSize(3);
        List<String> ids = new ArrayList<>();
        for (JsonNode i : instances) {
            assertThat(i.path("node_id").asText()).isEqualTo("n1");
            ids.add(i.path("id").asText());
        }
        assertThat(ok("instance", "list", "--node", "n1").out()).contains(ids.get(0), ids.get(1), ids.get(2));
        assertThat(json(ok("instance", "list", "--node", "nobody", "-o", "json"))).isEmpty();

        assertThat(ok("logs", ids.get(0)).out()).contains("httpd -f -p 8080");

        String explained = ok("workload", "explain", "web").out();
        assertThat(explained).contains("Workload web:", "assigned to node n1", "Candidates (best first):");

        Result scaled = ok("workload", "scale", "web", "1", "--wait", "--timeout", "60s");
        assertThat(scaled.out()).isEqualTo("workload/web scaled to 1\n");
        assertThat(scaled.err()).contains("web: 1/1 ready");

        assertThat(ok("workload", "delete", "web").out()).isEqualTo("workload/web deleted\n");
        Result gone = cli.run("workload", "get", "web");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).startsWith("hypha: ").contains("web").doesNotContain("Exception");
    }

    @Test
    void applyCreatesThenLeavesUnchangedThenConfigures() throws Exception {
        Path manifest = dir.resolve("apps.yaml");
        Files.writeString(manifest, """
                kind: Workload
                name: api
                image: busybox
                replicas: 1
                resources: {cpu: 100m, memory: 32Mi}
                ---
                kind: Workload
                name: worker
                image: busybox
                command: [sleep, "3600"]
                """);
        assertThat(ok("apply", "-f", manifest.toString()).out()).isEqualTo("workload/api created\nworkload/worker created\n");
        assertThat(ok("apply", "-f", manifest.toString()).out()).isEqualTo("workload/api unchanged\nworkload/worker unchanged\n");

        Files.writeString(manifest, Files.readString(manifest).replace("replicas: 1", "replicas: 2"));
        JsonNode results = json(ok("apply", "-f", manifest.toString(), "-o", "json"));
        assertThat(results.get(0).path("result").asText()).isEqualTo("configured");
        assertThat(results.get(1).path("result").asText()).isEqualTo("unchanged");
        assertThat(json(ok("workload", "get", "api", "-o", "json")).path("replicas").asInt()).isEqualTo(2);
        assertThat(json(ok("workload", "get", "api", "-o", "json")).path("resources").path("memory_mb").asInt()).isEqualTo(32);

        ok("workload", "delete", "api");
        ok("workload", "delete", "worker");
    }

    @Test
    void applyDryRunPlansIntentsAndChangesNothing() throws Exception {
        Path manifest = dir.resolve("dry.yaml");
        Files.writeString(manifest, """
                kind: Workload
                name: dry-web
                image: busybox
                ---
                kind: Intent
                intent: deploy_cost_optimized_service
                constraints: {min_replicas: 1}
                application: {image: busybox, resources: {cpu_millicores: 100, memory_mb: 32}}
                """);
        String out = ok("apply", "-f", manifest.toString(), "--dry-run").out();
        assertThat(out).contains("workload/dry-web created (dry run)", "planned (dry run)", "n1");
        assertThat(cli.run("workload", "get", "dry-web").exitCode()).isEqualTo(1);
        assertThat(json(ok("intent", "list", "-o", "json"))).isEmpty();
    }

    @Test
    void applyingAnIntentTwiceChangesNothingAndAChangedOneIsConfigured() throws Exception {
        Path manifest = dir.resolve("cheap.yaml");
        String intent = """
                kind: Intent
                intent: deploy_cost_optimized_service
                name: cheap
                constraints: {min_replicas: 1}
                application: {image: busybox, command: [sleep, "600"], resources: {cpu_millicores: 100, memory_mb: 32}}
                """;
        Files.writeString(manifest, intent);
        assertThat(ok("apply", "-f", manifest.toString()).out()).matches("intent/intent-[a-z0-9]+ created \\(\\w+\\)\n");
        JsonNode created = json(ok("intent", "list", "-o", "json")).get(0);
        String id = created.path("id").asText();
        assertThat(ok("apply", "-f", manifest.toString()).out()).startsWith("intent/" + id + " unchanged");

        Files.writeString(manifest, intent.replace("\"600\"", "\"900\""));
        assertThat(ok("apply", "-f", manifest.toString(), "--dry-run").out()).contains("intent/cheap planned (dry run)");
        assertThat(json(ok("intent", "get", id, "-o", "json")).path("generation").asLong()).isEqualTo(1);
        assertThat(ok("apply", "-f", manifest.toString()).out()).startsWith("intent/" + id + " configured");
        JsonNode configured = json(ok("intent", "get", id, "-o", "json"));
        assertThat(configured.path("generation").asLong()).isEqualTo(2);
        assertThat(configured.at("/spec/application/command").toString()).isEqualTo("[\"sleep\",\"900\"]");

        Files.writeString(manifest, "kind: Intent\nintent: deploy_batch_job\n");
        Result invalid = cli.run("apply", "-f", manifest.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("document 1 (Intent): application is required");
        ok("intent", "delete", id);
    }

    @Test
    void unknownWorkloadFailsWithTheServersDetail() {
        Result r = cli.run("workload", "get", "no-such-thing");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("hypha: ").contains("no-such-thing").endsWith("\n");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void wrongTokenSaysItWasRefusedAndWhereItCameFrom() {
        CliHarness wrong = new CliHarness(Map.of("HYPHA_SERVER", server.apiUrl().toString(), "HYPHA_TOKEN", "not-the-token"),
                dir.resolve("home"));
        Result r = wrong.run("workload", "list");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("hypha: the server at " + server.apiUrl().toString().replaceAll("/+$", ""))
                .contains("refused the token read from HYPHA_TOKEN");

        Result flag = cli.run("node", "list", "--token", "also-wrong");
        assertThat(flag.exitCode()).isEqualTo(1);
        assertThat(flag.err()).contains("refused the token read from the --token flag");
    }

    @Test
    void nodes() throws Exception {
        assertThat(ok("node", "list").out()).containsPattern("(?m)^ID +MEMBER +STATE").containsPattern("(?m)^n1 +alice +alive +eu-west");
        assertThat(ok("node", "list", "--sort-by", "load").out()).contains("n1");
        JsonNode nodes = json(ok("node", "list", "-o", "json"));
        assertThat(nodes.get(0).path("id").asText()).isEqualTo("n1");
        assertThat(ok("node", "get", "n1").out()).contains("ID:", "n1", "Capacity:", "cpu 4, memory 8Gi");
        assertThat(Json.yaml().readTree(ok("node", "get", "n1", "-o", "yaml").out()).path("region").asText()).isEqualTo("eu-west");

        Result unknown = cli.run("node", "get", "n404");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("hypha: ").contains("n404");
    }

    @Test
    void waitTimesOutWithTheReason() {
        Result r = cli.run("workload", "create", "huge", "--image", "busybox", "--cpu", "64", "--wait", "--timeout", "2s");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("workload/huge created\n");
        assertThat(r.err()).contains("huge: 0/1 ready", "hypha: huge: timed out after 2s with 0/1 ready");
        ok("workload", "delete", "huge");
    }
}
