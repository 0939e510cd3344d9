package dev.hypha.server.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
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
 * An intent's life over real HTTP with fake-runtime agents: created with its workload, its
 * replicas run on exactly the nodes of its plan, it reads back in get and list, names clash as
 * documented, and deleting it takes its workload and containers away.
 *
 * <p>Agents (a replica of 500m and 512Mi costs an eighth of the node's price):
 * <pre>
 *   node  region    price/h  per replica  g CO2/kWh
 *   a1    us-east   0.20     0.025        300
 *   w1    us-west   0.40     0.05         400
 *   e1    eu-west   0.16     0.02          30
 *   e2    eu-west   0.32     0.04          60
 * </pre>
 */
class IntentLifecycleTest {
    private static final String SHOP = """
            {"intent": "deploy_highly_available_service", "name": "shop",
             "constraints": {"min_replicas": 3, "max_replicas": 3, "preferred_regions": ["eu-west"]},
             "application": {"image": "busybox", "command": ["httpd", "-f"],
                             "resources": {"cpu_millicores": 500, "memory_mb": 512}}}""";

    @TempDir
    Path dir;
    IntentTestCluster cluster;
    StateStore store;

    @BeforeEach
    void start() {
        cluster = new IntentTestCluster(dir);
        cluster.addAgent("a1", "us-east", 0.20, 300);
        cluster.addAgent("w1", "us-west", 0.40, 400);
        cluster.addAgent("e1", "eu-west", 0.16, 30);
        cluster.addAgent("e2", "eu-west", 0.32, 60);
        store = cluster.server.store();
        IntentTestCluster.awaitQuiet(store, 4);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private JsonNode get(String path) {
        var r = cluster.call("GET", path, null);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    private List<String> runningNodes(String workload) {
        return store.instances().values().stream()
                .filter(i -> i.workload().equals(workload) && i.isActive() && i.state() == InstanceState.RUNNING)
                .map(Instance::nodeId).sorted().toList();
    }

    private static List<String> plannedNodes(JsonNode intent) {
        List<String> nodes = new ArrayList<>();
        intent.at("/plan/placements").forEach(p -> nodes.add(p.get("node_id").asText()));
        return nodes;
    }

    @Test
    void anIntentRunsOnItsPlanReadsBackAndTakesItsWorkloadAlongWhenDeleted() {
        var created = cluster.call("POST", "/api/v1/intents", SHOP);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode intent = created.json();
        String id = intent.get("id").asText();
        assertThat(intent.get("workload").asText()).isEqualTo("shop");
        assertThat(intent.get("status").asText()).isEqualTo("degraded");
        assertThat(intent.get("why").asText()).isEqualTo("0 of 3 replicas running");
        // The preferred region first, as far as it has nodes; the third replica in the cheapest other region.
        assertThat(plannedNodes(intent)).containsExactly("e1", "e2", "a1");
        assertThat(intent.at("/plan/unmet_preferences/0/preference").asText()).isEqualTo("preferred_regions");
        assertThat(intent.at("/plan/unmet_preferences/0/why").asText())
                .isEqualTo("1 of 3 replicas runs outside preferred_regions [eu-west]: their nodes have room for only"
                        + " 2 replicas, one per node");

        JsonNode workload = get("/api/v1/workloads/shop");
        assertThat(workload.get("owner").asText()).isEqualTo(id);
        assertThat(workload.get("replicas").asInt()).isEqualTo(3);
        assertThat(workload.at("/placement/regions").toString()).isEqualTo("[\"eu-west\",\"us-east\"]");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/api/v1/intents/" + id).get("status").asText().equals("satisfied")
                        && get("/api/v1/workloads/shop").at("/status/ready_replicas").asInt() == 3);
        assertThat(runningNodes("shop")).containsExactly("a1", "e1", "e2");
        for (String node : List.of("a1", "e1", "e2")) assertThat(cluster.runtimes.get(node).runningIds()).hasSize(1);
        assertThat(cluster.runtimes.get("w1").runningIds()).isEmpty();
        JsonNode listed = get("/api/v1/intents");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);
        assertThat(listed.get(0).has("why")).as("a satisfied intent needs no why").isFalse();
        assertThat(listed.get(0).get("generation").asLong()).isEqualTo(1);

        // Satisfied and steady: the controller passes (at least once a second) write nothing.
        long intentRevision = store.intents().get(id).orElseThrow().modRevision();
        long workloadRevision = store.workloads().get("shop").orElseThrow().modRevision();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(store.intents().get(id).orElseThrow().modRevision()).as("intent written again: %s",
                    store.intents().value(id)).isEqualTo(intentRevision);
            assertThat(store.workloads().get("shop").orElseThrow().modRevision()).as("workload written again: %s",
                    store.workloads().value("shop")).isEqualTo(workloadRevision);
        });

        var deleted = cluster.call("DELETE", "/api/v1/intents/" + id, null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().get("workload").asText()).isEqualTo("shop");
        assertThat(cluster.call("GET", "/api/v1/intents/" + id, null).status()).isEqualTo(404);
        assertThat(cluster.call("GET", "/api/v1/workloads/shop", null).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.instances().values().isEmpty()
                && cluster.runtimes.values().stream().allMatch(r -> r.runningIds().isEmpty()));
    }

    @Test
    void aGivenNameThatIsTakenIs409AndADerivedOneMovesAside() {
        assertThat(cluster.call("POST", "/api/v1/workloads", """
                {"name": "shop", "image": "busybox", "replicas": 0}""").status()).isEqualTo(201);
        long revision = store.kv().revision();

        var clash = cluster.call("POST", "/api/v1/intents", SHOP);
        assertThat(clash.status()).as(clash.body()).isEqualTo(409);
        assertThat(clash.json().get("detail").asText()).isEqualTo("workload 'shop' already exists; give the intent"
                + " another name, or leave name out and the server picks a free one");
        assertThat(store.kv().revision()).as("nothing stored").isEqualTo(revision);

        // Without a name, the image's name is taken too: the intent takes the first free one.
        assertThat(cluster.call("POST", "/api/v1/workloads", """
                {"name": "busybox", "image": "busybox", "replicas": 0}""").status()).isEqualTo(201);
        var derived = cluster.call("POST", "/api/v1/intents", """
                {"intent": "deploy_batch_job", "application": {"image": "registry.local/library/busybox:1.36"}}""");
        assertThat(derived.status()).as(derived.body()).isEqualTo(201);
        assertThat(derived.json().get("workload").asText()).isEqualTo("busybox-2");
        assertThat(get("/api/v1/workloads/busybox-2").get("owner").asText()).isEqualTo(derived.json().get("id").asText());
        assertThat(get("/api/v1/workloads/busybox").get("owner").isNull()).as("a plain workload has no owner").isTrue();
    }

    @Test
    void aChangedSpecIsPutAsTheNextGenerationAndTheSameSpecChangesNothing() {
        var created = cluster.call("POST", "/api/v1/intents", SHOP);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/api/v1/intents/" + id).get("status").asText().equals("satisfied")
                        && get("/api/v1/workloads/shop").at("/status/ready_replicas").asInt() == 3);

        // The same spec again: answered as stored, nothing written (agents' reports still move the store's revision).
        long revision = store.intents().get(id).orElseThrow().modRevision();
        var same = cluster.call("PUT", "/api/v1/intents/" + id, SHOP);
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(same.json().get("generation").asLong()).isEqualTo(1);
        assertThat(store.intents().get(id).orElseThrow().modRevision()).as("nothing stored").isEqualTo(revision);

        // Renaming the workload, or asking for more than the cluster has: refused, nothing written.
        var renamed = cluster.call("PUT", "/api/v1/intents/" + id, SHOP.replace("\"shop\"", "\"store\""));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(400);
        assertThat(renamed.json().get("detail").asText()).isEqualTo("intent '" + id + "' runs workload 'shop', which"
                + " cannot be renamed to 'store'; leave name out, or create a new intent and delete this one");
        var tooMany = cluster.call("PUT", "/api/v1/intents/" + id,
                SHOP.replace("\"min_replicas\": 3, \"max_replicas\": 3", "\"min_replicas\": 5, \"max_replicas\": 5"));
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(422);
        assertThat(tooMany.json().get("constraint").asText()).isEqualTo("min_replicas");
        assertThat(store.intents().get(id).orElseThrow().modRevision()).as("nothing stored").isEqualTo(revision);

        // A new command, name left out: the next generation, and every replica is replaced to run it.
        String changed = SHOP.replace("\"name\": \"shop\",", "").replace("[\"httpd\", \"-f\"]", "[\"httpd\", \"-f\", \"-v\"]");
        var put = cluster.call("PUT", "/api/v1/intents/" + id, changed);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("generation").asLong()).isEqualTo(2);
        assertThat(put.json().get("workload").asText()).isEqualTo("shop");
        assertThat(put.json().at("/spec/application/command").toString()).isEqualTo("[\"httpd\",\"-f\",\"-v\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Instance> running = store.instances().values().stream()
                    .filter(i -> i.workload().equals("shop") && i.isActive() && i.state() == InstanceState.RUNNING)
                    .toList();
            return running.size() == 3 && get("/api/v1/workloads/shop").at("/command").toString()
                    .equals("[\"httpd\",\"-f\",\"-v\"]")
                    && get("/api/v1/workloads/shop").at("/status/ready_replicas").asInt() == 3
                    && running.stream().allMatch(i -> i.generation() == get("/api/v1/workloads/shop").get("generation").asLong());
        });
        assertThat(cluster.call("PUT", "/api/v1/intents/intent-none", SHOP).status()).isEqualTo(404);
    }
}
