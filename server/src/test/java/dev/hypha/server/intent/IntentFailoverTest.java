package dev.hypha.server.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.server.HyphaServer;
import dev.hypha.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that dies under two intents, over real HTTP: once its lease runs out, the intent that
 * can do without it re-plans onto the remaining nodes and is satisfied again; the intent whose
 * required region has no other node keeps what it can run and says why it is unsatisfiable.
 *
 * <pre>
 *   node  region    price/h  per replica  g CO2/kWh
 *   a1    us-east   0.20     0.025        300     killed
 *   a2    us-east   0.60     0.075         80
 *   w1    us-west   0.40     0.05         400
 *   e1    eu-west   0.16     0.02          30
 * </pre>
 */
class IntentFailoverTest {
    @TempDir
    Path dir;
    IntentTestCluster cluster;
    StateStore store;

    @BeforeEach
    void start() {
        cluster = new IntentTestCluster(dir);
        cluster.addAgent("a1", "us-east", 0.20, 300);
        cluster.addAgent("a2", "us-east", 0.60, 80);
        cluster.addAgent("w1", "us-west", 0.40, 400);
        cluster.addAgent("e1", "eu-west", 0.16, 30);
        store = cluster.server.store();
        IntentTestCluster.awaitQuiet(store, 4);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private String create(String name, String constraints) {
        var r = cluster.call("POST", "/api/v1/intents", """
                {"intent": "deploy_highly_available_service", "name": "%s", "constraints": {%s},
                 "application": {"image": "busybox", "resources": {"cpu_millicores": 500, "memory_mb": 512}}}"""
                .formatted(name, constraints));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private JsonNode intent(String id) {
        var r = cluster.call("GET", "/api/v1/intents/" + id, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> plannedNodes(JsonNode intent) {
        List<String> nodes = new ArrayList<>();
        intent.at("/plan/placements").forEach(p -> nodes.add(p.get("node_id").asText()));
        return nodes.stream().sorted().toList();
    }

    private List<String> runningNodes(String workload) {
        return store.instances().values().stream()
                .filter(i -> i.workload().equals(workload) && i.isActive() && i.state() == InstanceState.RUNNING)
                .map(Instance::nodeId).sorted().toList();
    }

    @Test
    void aDeadNodeIsPlannedAroundWhereTheConstraintsAllowAndExplainedWhereTheyDoNot() {
        String api = create("api", "\"min_replicas\": 3, \"max_replicas\": 3");
        String db = create("db", "\"min_replicas\": 2, \"max_replicas\": 2, \"required_regions\": [\"us-east\"]");
        await().atMost(Duration.ofSeconds(20)).until(() -> intent(api).get("status").asText().equals("satisfied")
                && intent(db).get("status").asText().equals("satisfied"));
        assertThat(runningNodes("api")).containsExactly("a1", "e1", "w1");
        assertThat(runningNodes("db")).containsExactly("a1", "a2");

        cluster.kill("a1");
        await().atMost(HyphaServer.LIVENESS_TTL.plusSeconds(15)).until(() ->
                store.nodes().value("a1").orElseThrow().state() == NodeState.DEAD
                        && intent(api).get("status").asText().equals("satisfied")
                        && intent(db).get("status").asText().equals("unsatisfiable")
                        && runningNodes("api").size() == 3);

        JsonNode replanned = intent(api);
        assertThat(replanned.get("generation").asLong()).isEqualTo(2);
        assertThat(plannedNodes(replanned)).containsExactly("a2", "e1", "w1");
        assertThat(runningNodes("api")).containsExactly("a2", "e1", "w1");

        JsonNode stuck = intent(db);
        assertThat(stuck.get("why").asText()).isEqualTo("min_replicas is 2 but only 1 alive node in required_regions"
                + " [us-east] has 500m cpu and 512Mi free, and deploy_highly_available_service puts each replica on"
                + " its own node");
        assertThat(plannedNodes(stuck)).as("the best possible: what can still run").containsExactly("a2");
        assertThat(cluster.call("GET", "/api/v1/workloads/db", null).json().get("replicas").asInt()).isEqualTo(1);
        assertThat(runningNodes("db")).containsExactly("a2");
    }
}
