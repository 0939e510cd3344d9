package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.cli.CliHarness;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import dev.hypha.spi.ContainerRuntime;
import dev.hypha.spi.ContainerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness checks and resource violations with real runc containers: a server and an agent in
 * this JVM on a temp data dir, workloads created through the CLI and the API as a user would.
 * A failing exec check restarts its container with the reason; a passing HTTP check leaves its
 * container alone; a container that fills its memory request is reported as a resource violation.
 */
class LivenessRealContainersTest {
    /**
     * Test containers end on TERM: a shell as PID 1 ignores it otherwise, and the agent's loop
     * would wait out the whole stop grace on every delete.
     */
    private static final String UNTIL_TERM = "trap 'exit 0' TERM; ";
    private static final String IDLE = "while true; do sleep 1; done";

    @TempDir
    static Path dir;
    static HyphaServer server;
    static Agent agent;
    static HyphaProcess.Api api;
    static CliHarness cli;

    @BeforeAll
    static void startCluster() {
        server = HyphaServer.start(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, "sqlite",
                Duration.ofSeconds(30), List.of(), "simple"));
        agent = Agent.start(new AgentConfig(List.of(server.apiUrl()), server.joinToken(), "solo", null,
                dir.resolve("agent"), null, List.of(), "runc", null, "default", 0.1, 200, null, 0));
        api = new HyphaProcess.Api(server.apiUrl(), server.adminToken());
        cli = new CliHarness(Map.of("HYPHA_SERVER", server.apiUrl().toString(), "HYPHA_TOKEN", server.adminToken()),
                dir.resolve("home"));
        await().atMost(Duration.ofSeconds(60)).until(() -> api.json("GET", "/api/v1/nodes", null).size() == 1);
    }

    @AfterEach
    void deleteWorkloads() throws Exception {
        for (JsonNode w : api.json("GET", "/api/v1/workloads", null)) {
            api.status("DELETE", "/api/v1/workloads/" + w.get("name").asText(), null);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> containers().isEmpty());
    }

    @AfterAll
    static void stopCluster() {
        if (agent != null) {
            agent.close();
            // Never leave containers behind, even when a test failed before its workloads were deleted.
            ContainerRuntime runtime = agent.runtime();
            for (String id : containers()) {
                runtime.kill(id, Duration.ofSeconds(1));
                runtime.delete(id);
            }
        }
        if (server != null) server.close();
    }

    private static List<String> containers() {
        List<String> ids = new ArrayList<>();
        for (ContainerStatus c : agent.runtime().list()) {
            if (!c.id().startsWith("hypha-probe-")) ids.add(c.id());
        }
        return ids;
    }

    private static JsonNode onlyInstance(String workload) throws Exception {
        JsonNode list = api.json("GET", "/api/v1/workloads/" + workload + "/instances", null);
        return list.isEmpty() ? null : list.get(0);
    }

    private static void create(String... args) {
        CliHarness.Result r = cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aContainerWhoseExecCheckFailsIsRestartedWithTheReason() throws Exception {
        create("workload", "create", "flaky", "--image", "busybox", "--memory", "16Mi",
                "--liveness-exec", "cat /tmp/healthy", "--liveness-period", "1s", "--liveness-failure-threshold", "2",
                "--", "sh", "-c", UNTIL_TERM + "touch /tmp/healthy; sleep 3; rm /tmp/healthy; " + IDLE);
        JsonNode check = api.json("GET", "/api/v1/workloads/flaky", null).get("liveness");
        assertThat(check.toString()).isEqualTo("{\"exec\":[\"cat\",\"/tmp/healthy\"],\"period_seconds\":1,"
                + "\"timeout_seconds\":1,\"failure_threshold\":2,\"initial_delay_seconds\":0}");
        JsonNode[] failed = new JsonNode[1];
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode i = onlyInstance("flaky");
            if (i != null && i.path("message").asText().startsWith("liveness check failed 2 times")) failed[0] = i;
            return failed[0] != null;
        });
        assertThat(failed[0].get("state").asText()).isEqualTo("restarting");
        assertThat(failed[0].get("message").asText()).startsWith("liveness check failed 2 times: 'cat /tmp/healthy'")
                .endsWith("(back-off)");
        assertThat(failed[0].get("restarts").asInt()).isZero();

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode i = onlyInstance("flaky");
            return i.get("restarts").asInt() >= 1 && i.get("state").asText().equals("running");
        });
    }

    @Test
    void aContainerWhoseHttpCheckPassesKeepsRunning() throws Exception {
        int port = HyphaProcess.freePort();
        create("workload", "create", "web", "--image", "busybox", "--memory", "16Mi",
                "--liveness-http", port + "/healthz", "--liveness-period", "1s", "--liveness-failure-threshold", "1",
                "--", "sh", "-c", UNTIL_TERM + "mkdir -p /www && echo ok > /www/healthz; httpd -f -v -p " + port
                        + " -h /www & wait");
        // Scaling keeps the check: the CLI sends the stored spec back, liveness included, so no new generation.
        create("workload", "scale", "web", "1");
        JsonNode stored = api.json("GET", "/api/v1/workloads/web", null);
        assertThat(stored.get("generation").asInt()).isEqualTo(1);
        assertThat(stored.get("liveness").get("http").toString()).isEqualTo("{\"port\":" + port + ",\"path\":\"/healthz\"}");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode i = onlyInstance("web");
            return i != null && i.get("state").asText().equals("running");
        });
        String id = onlyInstance("web").get("id").asText();
        // httpd -v logs each answer: wait until several checks were answered 200, then the instance is untouched.
        await().atMost(Duration.ofSeconds(30)).until(() -> logs(id).split("response:200", -1).length > 4);
        JsonNode i = onlyInstance("web");
        assertThat(i.get("state").asText()).as(i.toString()).isEqualTo("running");
        assertThat(i.get("restarts").asInt()).as(i.toString()).isZero();
        assertThat(i.path("message").isNull() || i.path("message").isMissingNode()).as(i.toString()).isTrue();
    }

    @Test
    void aContainerThatFillsItsMemoryRequestIsAResourceViolation() throws Exception {
        // 31 MiB of tmpfs pages, charged to the container's cgroup, under a 32 MiB request: ≥ 95 %.
        api.json("POST", "/api/v1/workloads", """
                {"name":"hog","image":"busybox","resources":{"cpu_millicores":100,"memory_mb":32},
                 "command":["sh","-c","%shead -c 31m /dev/zero > /dev/shm/fill; %s"]}""".formatted(UNTIL_TERM, IDLE));
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> {
            seen[0] = onlyInstance("hog");
            return seen[0] != null && seen[0].path("resource_violations").asInt() > 0;
        });
        assertThat(seen[0].get("last_violation").asText()).as(seen[0].toString())
                .matches("memory use \\d+\\.\\d MiB is \\d+% of the 32 MiB requested|OOM killed: .*");
        JsonNode node = api.json("GET", "/api/v1/nodes/solo", null);
        assertThat(node.toString()).as("nothing about the violation is held against the node")
                .doesNotContain("violation");
    }

    private static String logs(String id) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(server.apiUrl().resolve("/api/v1/instances/" + id + "/logs"))
                            .header("Authorization", "Bearer " + server.adminToken()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (java.io.IOException | InterruptedException e) {
            return "";
        }
    }
}
