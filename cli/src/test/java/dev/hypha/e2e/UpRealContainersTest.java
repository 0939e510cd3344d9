package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hypha up} with real runc containers, as the Quick start runs it: limits in the cgroup,
 * logs, restarts after a crash, adoption of running containers after {@code kill -9} of the
 * orchestrator, OOM kills, and clean removal.
 */
class UpRealContainersTest {
    @TempDir
    Path dir;
    int port;
    String[] args;
    HyphaProcess up;
    HyphaProcess.Api api;

    @BeforeEach
    void start() throws Exception {
        port = HyphaProcess.freePort();
        args = new String[] {"up", "--data-dir", dir.toString(), "--api-port", String.valueOf(port), "--gossip-port", "0",
                "--node-id", "solo", "--runtime", "runc"};
        up = HyphaProcess.start(dir.resolve("up.log"), args);
        api = awaitHealthy(up);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (api != null && up.isAlive()) {
                for (JsonNode w : api.json("GET", "/api/v1/workloads", null)) {
                    api.status("DELETE", "/api/v1/workloads/" + w.get("name").asText(), null);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> runcList().isEmpty());
            }
        } finally {
            up.close();
            for (String id : runcList()) runc("delete", "--force", id); // never leave containers behind
        }
    }

    private HyphaProcess.Api awaitHealthy(HyphaProcess p) throws IOException {
        HyphaProcess.Api probe = new HyphaProcess.Api(URI.create("http://127.0.0.1:" + port), "");
        await().atMost(Duration.ofSeconds(120)).until(() -> probe.healthy() || !p.isAlive());
        assertThat(p.isAlive()).as(p.output()).isTrue();
        return new HyphaProcess.Api(probe.base(), Files.readString(dir.resolve("admin.token")).trim());
    }

    private Path stateRoot() {
        return dir.resolve("agent-solo").resolve("runtime").resolve("runc").resolve("state");
    }

    private List<String> runcList() throws IOException, InterruptedException {
        if (!Files.isDirectory(stateRoot())) return List.of();
        String out = runc("list", "-q");
        List<String> ids = new ArrayList<>();
        for (String l : out.split("\n")) if (!l.isBlank() && !l.startsWith("hypha-probe-")) ids.add(l.trim());
        return ids;
    }

    private String runc(String... a) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("runc", "--root", stateRoot().toString()));
        cmd.addAll(List.of(a));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private Map<String, JsonNode> running(String workload) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode i : api.json("GET", "/api/v1/workloads/" + workload + "/instances", null)) {
            if (i.get("state").asText().equals("running") && i.hasNonNull("pid")) out.put(i.get("id").asText(), i);
        }
        return out;
    }

    private static String memoryCgroupLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts[1].equals("memory") || (parts[0].equals("0") && parts[1].isEmpty())) {
                Path v1 = Path.of("/sys/fs/cgroup/memory" + parts[2], "memory.limit_in_bytes");
                if (Files.exists(v1)) return Files.readString(v1).trim();
                return Files.readString(Path.of("/sys/fs/cgroup" + parts[2], "memory.max")).trim();
            }
        }
        throw new IOException("no memory cgroup for pid " + pid);
    }

    @Test
    void realContainersRunWithLimitsLogsRestartsAndSurviveTheOrchestrator() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> api.json("GET", "/api/v1/images", null).size() > 0);
        JsonNode images = api.json("GET", "/api/v1/images", null);
        assertThat(images).anySatisfy(i -> {
            assertThat(i.get("name").asText()).isEqualTo("busybox");
            assertThat(i.get("node_id").asText()).isEqualTo("solo");
            assertThat(i.get("digest").asText()).startsWith("sha256:");
        });

        api.json("POST", "/api/v1/workloads", """
                {"name":"hello","image":"busybox","replicas":2,"resources":{"cpu_millicores":100,"memory_mb":32},
                 "command":["sh","-c","while true; do echo hi; sleep 1; done"]}""");
        await().atMost(Duration.ofSeconds(60)).until(() -> running("hello").size() == 2);
        Map<String, JsonNode> first = running("hello");
        for (JsonNode i : first.values()) {
            long pid = i.get("pid").asLong();
            assertThat(Path.of("/proc/" + pid)).exists();
            assertThat(memoryCgroupLimit(pid)).isEqualTo(String.valueOf(32L * 1024 * 1024));
        }
        assertThat(runcList()).containsExactlyInAnyOrderElementsOf(first.keySet());

        // Logs reach the user through the server.
        String someId = first.keySet().iterator().next();
        await().atMost(Duration.ofSeconds(20)).until(() -> logs(someId).contains("hi"));

        // kill -9 of the container's process: restarted with a new pid within the back-off.
        long oldPid = first.get(someId).get("pid").asLong();
        new ProcessBuilder("kill", "-9", String.valueOf(oldPid)).start().waitFor();
        await().atMost(Duration.ofSeconds(45)).until(() -> {
            JsonNode i = running("hello").get(someId);
            return i != null && i.get("restarts").asInt() == 1 && i.get("pid").asLong() != oldPid;
        });

        // kill -9 of hypha itself: the same containers (same pids) keep running and are adopted.
        Map<String, Long> pids = new HashMap<>();
        running("hello").forEach((id, i) -> pids.put(id, i.get("pid").asLong()));
        up.kill9();
        for (long pid : pids.values()) assertThat(Path.of("/proc/" + pid)).exists();
        up = HyphaProcess.start(dir.resolve("up2.log"), args);
        api = awaitHealthy(up);
        await().atMost(Duration.ofSeconds(30)).until(() -> running("hello").size() == 2);
        Map<String, Long> after = new HashMap<>();
        running("hello").forEach((id, i) -> after.put(id, i.get("pid").asLong()));
        assertThat(after).isEqualTo(pids);
        assertThat(runcList()).hasSize(2);

        // Delete: containers, bundles and cgroups are gone.
        api.status("DELETE", "/api/v1/workloads/hello", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> runcList().isEmpty());
        // runc forgets a container before its bundle is removed (same delete call): wait for both.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : pids.keySet()) {
                assertThat(dir.resolve("agent-solo").resolve("bundles").resolve(id)).doesNotExist();
            }
        });
    }

    @Test
    void aContainerOverItsMemoryLimitIsReportedOomKilledAndRestarted() throws Exception {
        api.json("POST", "/api/v1/workloads", """
                {"name":"hog","image":"busybox","replicas":1,"resources":{"cpu_millicores":100,"memory_mb":16},
                 "restart_policy":"on-failure",
                 "command":["sh","-c","echo start; x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done"]}""");
        JsonNode[] oom = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode i = api.json("GET", "/api/v1/workloads/hog/instances", null).get(0);
            if (i != null && i.path("message").asText().contains("OOM killed")) oom[0] = i;
            return oom[0] != null;
        });
        assertThat(oom[0].get("state").asText()).isEqualTo("restarting");
        assertThat(oom[0].get("exit_code").asInt()).isEqualTo(137);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.json("GET", "/api/v1/workloads/hog/instances", null).get(0).path("restarts").asInt() >= 1);
    }

    private String logs(String id) {
        try {
            HyphaProcess.Api a = api;
            return new String(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(a.base().resolve("/api/v1/instances/" + id + "/logs"))
                            .header("Authorization", "Bearer " + a.token()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
