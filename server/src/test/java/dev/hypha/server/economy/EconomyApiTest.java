package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.PriceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The economy's endpoints and their answers to bad requests: manual pledges, members, the ledger,
 * credit balances and reputation.
 */
class EconomyApiTest {
    @TempDir(factory = MemoryBackedTempDir.class)
    static Path dir;
    static EconomyCluster cluster;

    @BeforeAll
    static void start() {
        // One core-second costs 1 credit, one GB-second of memory 1 credit, one GB-second of disk 0.001.
        EconomySettings settings = EconomySettings.defaults()
                .withPrices(new PriceTable(Credits.ofCredits(1), Credits.ofCredits(1), 1_000));
        cluster = new EconomyCluster(dir, settings, Duration.ofSeconds(30));
        cluster.addAgent("n1", "alice", 0, 1);
        cluster.addAgent("n2", "bob", 0, 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.server.store().nodes().values().size() == 2);
        assertThat(cluster.createWorkload("bob-web", "bob", 0, false).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aManualPledgeIsAnAdjustmentThatShowsInTheCreditGraphAndTheLedger() {
        var r = cluster.call("POST", "/api/v1/nodes/n1/pledge", """
                {"to_workload":"bob-web","cpu_millicores":500,"memory_mb":512,"disk_mb":1024,"duration_seconds":60}""");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode answer = r.json();
        JsonNode entry = answer.get("entry");
        assertThat(entry.get("kind").asText()).isEqualTo("manual_adjustment");
        assertThat(entry.get("credit_member").asText()).isEqualTo("alice");
        assertThat(entry.get("debit_member").asText()).isEqualTo("bob");
        // 0.5 core x 60 s + 0.5 GB x 60 s + 1 GB x 60 s x 0.001 = 30 + 30 + 0.06 credits.
        assertThat(entry.get("amount").asLong()).isEqualTo(60_060_000L);
        assertThat(answer.at("/pledge/node_id").asText()).isEqualTo("n1");
        assertThat(answer.get("expires_at").asText()).isEqualTo(entry.get("period_end").asText());

        JsonNode n1 = cluster.get("/api/v1/nodes/n1/credit_balance");
        assertThat(n1.at("/pledged_out/cpu_millicores").asLong()).isEqualTo(500);
        assertThat(n1.at("/pledged_out/memory_mb").asLong()).isEqualTo(512);
        assertThat(n1.get("member_balance").asLong()).isEqualTo(60_060_000L);
        assertThat(n1.get("standing").asText()).isEqualTo("ok");
        JsonNode n2 = cluster.get("/api/v1/nodes/n2/credit_balance");
        assertThat(n2.at("/received_in/cpu_millicores").asLong()).isEqualTo(500);
        assertThat(n2.get("member_balance").asLong()).isEqualTo(-60_060_000L);

        JsonNode bobs = cluster.get("/api/v1/ledger?member=bob");
        assertThat(bobs).anyMatch(e -> e.get("id").asText().equals(entry.get("id").asText()));
        assertThat(cluster.get("/api/v1/ledger?member=nobody")).isEmpty();
        long sum = 0;
        for (JsonNode m : cluster.get("/api/v1/members")) {
            sum += m.get("balance").asLong();
            assertThat(m.has("nodes")).isTrue();
            assertThat(m.has("credit_limit")).isTrue();
        }
        assertThat(sum).isZero();
        JsonNode alice = cluster.get("/api/v1/members").get(0);
        assertThat(alice.get("id").asText()).isEqualTo("alice");
        assertThat(alice.get("nodes").get(0).asText()).isEqualTo("n1");
    }

    @Test
    void everyNodeHasAReputationWithItsFourScores() {
        JsonNode r = cluster.get("/api/v1/nodes/n2/reputation");
        for (String f : new String[] {"reliability", "resource_efficiency", "ecological_balance", "contribution_ratio"}) {
            assertThat(r.get(f).asDouble()).as(f).isBetween(0.0, 1.0);
        }
        JsonNode listed = null;
        for (JsonNode n : cluster.get("/api/v1/nodes")) if (n.get("id").asText().equals("n2")) listed = n;
        assertThat(listed).isNotNull();
        assertThat(listed.at("/reputation/reliability").asDouble()).isEqualTo(r.get("reliability").asDouble());
    }

    static Stream<Arguments> badPledges() {
        return Stream.of(
                Arguments.of("/api/v1/nodes/ghost/pledge", "{\"to_workload\":\"bob-web\",\"cpu_millicores\":100}", 404, "node 'ghost' does not exist"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"to_workload\":\"nope\",\"cpu_millicores\":100}", 404, "workload 'nope' does not exist"),
                Arguments.of("/api/v1/nodes/n2/pledge", "{\"to_workload\":\"bob-web\",\"cpu_millicores\":100}", 422, "pledging to itself"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"to_workload\":\"bob-web\"}", 400, "pledge something"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"to_workload\":\"bob-web\",\"cpu_millicores\":-1}", 400, "cpu_millicores"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"to_workload\":\"bob-web\",\"cpu\":100}", 400, "unknown field 'cpu'"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"to_workload\":\"bob-web\",\"cpu_millicores\":100,\"duration_seconds\":0}", 400, "duration_seconds"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"cpu_millicores\":100}", 400, "to_workload"),
                Arguments.of("/api/v1/nodes/n1/pledge", "{\"to_workload\":\"bob-web\",\"disk_mb\":1,\"duration_seconds\":1}", 422, "less than one micro-credit"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badPledges")
    void badPledgesAreRefusedAndChangeNothing(String path, String body, int status, String detail) {
        var ledgerBefore = cluster.server.store().ledger().values();
        var pledgesBefore = cluster.server.store().pledges().values();
        var r = cluster.call("POST", path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("detail").asText()).containsIgnoringCase(detail);
        assertThat(cluster.server.store().ledger().values()).isEqualTo(ledgerBefore);
        assertThat(cluster.server.store().pledges().values()).isEqualTo(pledgesBefore);
    }

    @Test
    void unknownNodesAreNotFound() {
        assertThat(cluster.call("GET", "/api/v1/nodes/ghost/credit_balance", null).status()).isEqualTo(404);
        assertThat(cluster.call("GET", "/api/v1/nodes/ghost/reputation", null).status()).isEqualTo(404);
    }
}
