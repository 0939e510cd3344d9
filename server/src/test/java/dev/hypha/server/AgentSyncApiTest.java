package dev.hypha.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/agents/{id}/sync} over real HTTP, played by the test as an agent would: the
 * status report in the body is written before the answer, and the answer is what the delta
 * assignments long-poll gives, waiting for a change of the node's assignments.
 */
class AgentSyncApiTest {
    @TempDir
    Path dir;
    TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir);
        var registration = new AgentProtocol.Registration("n1", null, "default", new Resources(4000, 8192, 20480), 0.1,
                200, null, null, null);
        var r = cluster.call("POST", "/api/v1/agents/register", Json.string(registration), cluster.server.joinToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String workload(int replicas) {
        return """
                {"name":"web","image":"busybox","command":["sleep","3600"],"replicas":%d,
                 "resources":{"cpu_millicores":100,"memory_mb":64}}""".formatted(replicas);
    }

    private AgentProtocol.Assignments sync(long after, long waitSeconds, List<InstanceStatusReport> reports) {
        var r = cluster.call("POST", "/api/v1/agents/n1/sync?after=" + after + "&wait_seconds=" + waitSeconds,
                Json.string(new AgentProtocol.StatusReport(reports)), cluster.server.joinToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.read(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), AgentProtocol.Assignments.class);
    }

    private List<Instance> placed() {
        return cluster.server.store().instances().values();
    }

    @Test
    void aSyncWritesTheReportAndAnswersWithTheChangedAssignments() {
        assertThat(cluster.call("POST", "/api/v1/workloads", workload(2)).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> placed().size() == 2);

        AgentProtocol.Assignments all = sync(-1, 0, List.of());
        assertThat(all.delta()).as("asked from -1: the whole list").isFalse();
        assertThat(all.instances()).extracting(Instance::id)
                .containsExactlyInAnyOrderElementsOf(placed().stream().map(Instance::id).toList());

        String id = all.instances().getFirst().id();
        var running = new InstanceStatusReport(id, InstanceState.RUNNING, id, 42L, 0, Instant.now(), null, null, null);
        AgentProtocol.Assignments none = sync(all.revision(), 0, List.of(running));
        assertThat(none.delta()).isTrue();
        assertThat(none.instances()).as("the agent's own report changes no assignment").isEmpty();
        assertThat(cluster.server.store().instances().value(id).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void aSyncWaitsForTheNextAssignmentAfterItsRevision() throws Exception {
        assertThat(cluster.call("POST", "/api/v1/workloads", workload(1)).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> placed().size() == 1);
        AgentProtocol.Assignments first = sync(-1, 0, List.of());
        assertThat(first.instances()).hasSize(1);

        CompletableFuture<AgentProtocol.Assignments> waiting = CompletableFuture.supplyAsync(
                () -> sync(first.revision(), 8, List.of()));
        assertThat(cluster.call("PUT", "/api/v1/workloads/web", workload(2)).status()).isEqualTo(200);

        AgentProtocol.Assignments next = waiting.get(20, TimeUnit.SECONDS);
        assertThat(next.delta()).isTrue();
        assertThat(next.instances()).extracting(Instance::id).doesNotContain(first.instances().getFirst().id())
                .hasSize(1);
    }

    @Test
    void aSyncForANodeTheServerDoesNotKnowIs404() {
        var r = cluster.call("POST", "/api/v1/agents/nobody/sync?after=-1&wait_seconds=0",
                Json.string(new AgentProtocol.StatusReport(List.of())), cluster.server.joinToken());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("nobody");
    }
}
