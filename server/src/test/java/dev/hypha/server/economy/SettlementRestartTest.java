package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.PriceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settlement through a server restart, over HTTP: what was settled before stays exactly as it was,
 * settlement goes on afterwards without settling any period twice, and the server's reputation
 * observations survive.
 */
class SettlementRestartTest {
    @TempDir(factory = MemoryBackedTempDir.class)
    Path dir;
    EconomyCluster cluster;

    @BeforeEach
    void start() {
        EconomySettings settings = EconomySettings.defaults()
                .withPrices(new PriceTable(Credits.ofCredits(1), Credits.ofCredits(1), 0));
        cluster = new EconomyCluster(dir, settings, Duration.ofSeconds(1));
        cluster.addAgent("n1", "alice", 0, 1);
        cluster.addAgent("n2", "bob", 0, 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.server.store().nodes().values().size() == 2);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Map<String, String> entries() {
        Map<String, String> out = new HashMap<>();
        for (JsonNode e : cluster.get("/api/v1/ledger")) out.put(e.get("id").asText(), e.toString());
        return out;
    }

    @Test
    void aRestartedServerKeepsEverySettlementAndSettlesNoPeriodTwice() {
        assertThat(cluster.createWorkload("alice-web", "alice", 2, false).status()).isEqualTo(201);
        assertThat(cluster.createWorkload("bob-web", "bob", 2, false).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> entries().size() >= 4);
        Map<String, String> before = entries();
        double evidenceBefore = cluster.get("/api/v1/nodes/n1/reputation").get("evidence").asDouble();
        assertThat(evidenceBefore).as("n1's starts were observed").isPositive();

        cluster.restartServer();

        // Right after the restart the stored ledger is whole and unchanged.
        Map<String, String> after = entries();
        before.forEach((id, json) -> assertThat(after.get(id)).as("entry %s after the restart", id).isEqualTo(json));
        assertThat(cluster.get("/api/v1/nodes/n1/reputation").get("evidence").asDouble())
                .as("the server's observations were stored").isGreaterThanOrEqualTo(evidenceBefore - 1e-9);

        // Settlement goes on, and no period of any instance is settled twice.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> entries().size() >= before.size() + 4);
        Map<String, List<Instant[]>> periods = new HashMap<>();
        long total = 0;
        for (JsonNode e : cluster.get("/api/v1/ledger")) {
            assertThat(e.get("kind").asText()).isEqualTo("settlement");
            assertThat(e.get("id").asText()).isEqualTo("settle:" + e.get("instance_id").asText() + ":"
                    + e.get("period_start").asText());
            periods.computeIfAbsent(e.get("instance_id").asText(), k -> new ArrayList<>())
                    .add(new Instant[] {Instant.parse(e.get("period_start").asText()), Instant.parse(e.get("period_end").asText())});
            total += e.get("amount").asLong();
        }
        assertThat(total).isPositive();
        periods.forEach((instance, list) -> {
            list.sort((a, b) -> a[0].compareTo(b[0]));
            for (int k = 1; k < list.size(); k++) {
                assertThat(list.get(k)[0]).as("%s: periods do not overlap", instance).isAfterOrEqualTo(list.get(k - 1)[1]);
            }
        });
        long sum = 0;
        for (JsonNode m : cluster.get("/api/v1/members")) sum += m.get("balance").asLong();
        assertThat(sum).isZero();
    }
}
