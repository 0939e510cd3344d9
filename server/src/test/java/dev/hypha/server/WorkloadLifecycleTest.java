package dev.hypha.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workloads end to end over real HTTP: a server, three fake-runtime agents, create, scale, roll, delete, restart. */
class WorkloadLifecycleTest {
    @TempDir
    Path dir;
    TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir);
        for (String n : List.of("n1", "n2", "n3")) cluster.addAgent(n, new Resources(4000, 8192, 20480));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.server.store().nodes().values().size() == 3);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private List<Instance> instances(String workload) {
        return cluster.server.store().instances().values().stream().filter(i -> i.workload().equals(workload)).toList();
    }

    private long running(String workload) {
        return instances(workload).stream().filter(i -> i.state() == InstanceState.RUNNING).count();
    }

    private JsonNode get(String path) throws Exception {
        var r = cluster.call("GET", path, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    @Test
    void createScaleRollAndDelete() throws Exception {
        var created = cluster.call("POST", "/api/v1/workloads", """
                {"name":"web","image":"busybox","command":["httpd","-f"],"replicas":3,
                 "resources":{"cpu_millicores":250,"memory_mb":64}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(Json.mapper().readTree(created.body()).get("generation").asLong()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/v1/workloads/web").at("/status/ready_replicas").asInt() == 3);
        Set<String> nodes = new HashSet<>();
        for (Instance i : instances("web")) nodes.add(i.nodeId());
        assertThat(nodes).as("replicas spread one per node").hasSize(3);
        assertThat(cluster.runtimes.stream().mapToInt(r -> r.runningIds().size()).sum()).isEqualTo(3);

        JsonNode explain = get("/api/v1/workloads/web/explain");
        assertThat(explain.get("decisions")).hasSize(3);
        assertThat(explain.at("/decisions/0/outcome").asText()).isEqualTo("assigned");
        assertThat(explain.at("/decisions/0/top_candidates/0/scores").size()).isGreaterThan(0);

        // Scale up and down.
        var scaled = cluster.call("PUT", "/api/v1/workloads/web", """
                {"name":"web","image":"busybox","command":["httpd","-f"],"replicas":5,
                 "resources":{"cpu_millicores":250,"memory_mb":64}}""");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> running("web") == 5 && instances("web").size() == 5);
        cluster.call("PUT", "/api/v1/workloads/web", """
                {"name":"web","image":"busybox","command":["httpd","-f"],"replicas":2,
                 "resources":{"cpu_millicores":250,"memory_mb":64}}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> instances("web").size() == 2 && running("web") == 2);
        assertThat(cluster.runtimes.stream().mapToInt(r -> r.runningIds().size()).sum()).isEqualTo(2);

        // A template change replaces every replica, one at a time.
        Set<String> before = new HashSet<>(instances("web").stream().map(Instance::id).toList());
        cluster.call("PUT", "/api/v1/workloads/web", """
                {"name":"web","image":"busybox","command":["httpd","-f","-p","9090"],"replicas":2,
                 "resources":{"cpu_millicores":250,"memory_mb":64}}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Instance> now = instances("web");
            return now.size() == 2 && now.stream().allMatch(i -> !before.contains(i.id()) && i.state() == InstanceState.RUNNING);
        });
        assertThat(instances("web")).allMatch(i -> i.spec().command().contains("9090"));

        // Delete: instances stop and disappear, containers are gone.
        assertThat(cluster.call("DELETE", "/api/v1/workloads/web", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> instances("web").isEmpty());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.runtimes.stream().allMatch(r -> r.runningIds().isEmpty()));
    }

    @Test
    void unplaceableReplicasAreExplained() throws Exception {
        cluster.call("POST", "/api/v1/workloads", """
                {"name":"huge","image":"busybox","replicas":1,"resources":{"cpu_millicores":64000,"memory_mb":64}}""");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/v1/workloads/huge/explain").get("decisions").size() == 1);
        JsonNode d = get("/api/v1/workloads/huge/explain").at("/decisions/0");
        assertThat(d.get("outcome").asText()).isEqualTo("unplaceable");
        assertThat(d.get("rejection_counts").toString()).contains("cpu");
        assertThat(instances("huge")).isEmpty();
    }

    @Test
    void aRestartedServerKeepsEveryWorkloadAndInstanceWithoutDuplicates() throws Exception {
        cluster.call("POST", "/api/v1/workloads", """
                {"name":"api","image":"busybox","replicas":4,"resources":{"cpu_millicores":100,"memory_mb":32}}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> running("api") == 4);
        Set<String> ids = new HashSet<>(instances("api").stream().map(Instance::id).toList());

        cluster.restartServer();

        // The new server listens on another port, so this checks what the store kept, right after the restart.
        assertThat(instances("api")).hasSize(4);
        assertThat(new HashSet<>(instances("api").stream().map(Instance::id).toList())).isEqualTo(ids);
        JsonNode w = get("/api/v1/workloads/api");
        assertThat(w.get("replicas").asInt()).isEqualTo(4);
    }
}
