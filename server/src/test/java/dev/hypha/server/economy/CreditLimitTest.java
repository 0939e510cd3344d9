package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.PriceTable;
import dev.hypha.model.Instance;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credit limits over HTTP: dave owns no machine and runs work on alice's until he is below his
 * hard limit; then new work is refused with a 422 that says by how much he is over. Once his own
 * machine has hosted enough of alice's work to bring him back, he can place again.
 */
class CreditLimitTest {
    private static final long SOFT = -Credits.MICRO_PER_CREDIT / 5; // -0.2 credits
    private static final long HARD = -Credits.MICRO_PER_CREDIT / 2; // -0.5 credits
    private static final Pattern OVER = Pattern.compile("member dave is ([0-9.]+) credits over its hard credit limit of -0\\.5 credits");

    @TempDir(factory = MemoryBackedTempDir.class)
    Path dir;
    EconomyCluster cluster;

    @BeforeEach
    void start() {
        EconomySettings settings = EconomySettings.defaults()
                .withPrices(new PriceTable(Credits.ofCredits(1), Credits.ofCredits(1), 0))
                .withCreditPolicy(new CreditPolicy(SOFT, HARD, Map.of()));
        cluster = new EconomyCluster(dir, settings, Duration.ofSeconds(1));
        cluster.addAgent("n1", "alice", 0, 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.server.store().nodes().values().size() == 1);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private long balance(String member) {
        for (JsonNode m : cluster.get("/api/v1/members")) {
            if (m.get("id").asText().equals(member)) return m.get("balance").asLong();
        }
        return 0;
    }

    private long placed(String workload) {
        return cluster.server.store().instances().values().stream().filter(i -> i.workload().equals(workload)).count();
    }

    @Test
    void aMemberOverItsHardLimitIsRefusedUntilItsMachineGivesBack() {
        // 1. dave runs four replicas on alice's machine and pays for them, period after period.
        assertThat(cluster.createWorkload("dave-batch", "dave", 4, false).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> balance("dave") < HARD);

        // 2. Below the hard limit: new work is refused, and the answer says by how much he is over.
        var refused = cluster.createWorkload("dave-more", "dave", 1, false);
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonNode problem = refused.json();
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        Matcher over = OVER.matcher(problem.get("detail").asText());
        assertThat(over.find()).as(problem.get("detail").asText()).isTrue();
        assertThat(new BigDecimal(over.group(1))).isPositive();
        assertThat(cluster.server.store().workloads().value("dave-more")).isEmpty();
        // Scaling up is new placements too; scaling down is always allowed.
        var scaleUp = cluster.call("PUT", "/api/v1/workloads/dave-batch", EconomyCluster.workloadJson("dave-batch", "dave", 6, false));
        assertThat(scaleUp.status()).as(scaleUp.body()).isEqualTo(422);
        var scaleDown = cluster.call("PUT", "/api/v1/workloads/dave-batch", EconomyCluster.workloadJson("dave-batch", "dave", 0, false));
        assertThat(scaleDown.status()).as(scaleDown.body()).isEqualTo(200);
        JsonNode dave = member("dave");
        assertThat(dave.get("standing").asText()).isEqualTo("refused");
        assertThat(dave.get("credit_limit").asLong()).isEqualTo(HARD);
        assertThat(dave.get("taken").asLong()).isPositive();

        // 3. dave's own machine joins and hosts alice's work: he earns his way back above the limit.
        cluster.addAgent("n2", "dave", 0, 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.server.store().nodes().values().size() == 2);
        assertThat(cluster.createWorkload("alice-web", "alice", 4, false).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> placed("alice-web") == 4);
        assertThat(cluster.server.store().instances().values().stream()
                .filter(i -> i.workload().equals("alice-web")).map(Instance::nodeId)).contains("n2");
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> balance("dave") >= HARD);
        assertThat(member("dave").get("given").asLong()).isPositive();

        // 4. Back within the hard limit: dave may place again.
        var accepted = cluster.createWorkload("dave-more", "dave", 1, false);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> placed("dave-more") == 1);
        long total = 0;
        for (JsonNode m : cluster.get("/api/v1/members")) total += m.get("balance").asLong();
        assertThat(total).isZero();
    }

    private JsonNode member(String id) {
        for (JsonNode m : cluster.get("/api/v1/members")) {
            if (m.get("id").asText().equals(id)) return m;
        }
        throw new AssertionError("no member " + id);
    }
}
