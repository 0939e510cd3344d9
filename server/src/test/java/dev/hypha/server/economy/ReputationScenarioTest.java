package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.PriceTable;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The economy end to end over HTTP: three agents owned by alice, bob and carol; carol's machine
 * fails half of its container starts (a seeded fake runtime). Every member runs work on the
 * cluster; the server learns from the agents' reports who is reliable, settles the measured usage
 * into the ledger, and sends work that asks for high reputation away from carol's machine.
 */
class ReputationScenarioTest {
    /** The flaky runtime's seed: 12 of its first 20 starts fail (7 of the first 10). */
    private static final long FLAKY_SEED = 3;

    @TempDir(factory = MemoryBackedTempDir.class)
    Path dir;
    EconomyCluster cluster;

    @BeforeEach
    void start() {
        // A core-second and a GB-second of memory cost one credit each: balances move visibly in seconds.
        EconomySettings settings = EconomySettings.defaults()
                .withPrices(new PriceTable(Credits.ofCredits(1), Credits.ofCredits(1), 0));
        cluster = new EconomyCluster(dir, settings, Duration.ofSeconds(1));
        cluster.addAgent("n1", "alice", 0, 1);
        cluster.addAgent("n2", "bob", 0, 2);
        cluster.addAgent("n3", "carol", 0.5, FLAKY_SEED);
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.server.store().nodes().values().size() == 3);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private double reliability(String node) {
        return cluster.get("/api/v1/nodes/" + node + "/reputation").get("reliability").asDouble();
    }

    private List<Instance> instances() {
        return cluster.server.store().instances().values();
    }

    @Test
    void aFlakyNodeLosesReputationAndWorkThatAsksForReliabilityAvoidsIt() {
        // 1. Every member runs work; the replicas spread over the three machines.
        for (String member : List.of("alice", "bob", "carol")) {
            assertThat(cluster.createWorkload(member + "-web", member, 6, false).status()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> instances().size() == 18);
        assertThat(instances().stream().filter(i -> i.nodeId().equals("n3")).count())
                .as("carol's machine gets its share before anything is known about it").isGreaterThanOrEqualTo(3);

        // 2. Its failed starts count against it: its reliability falls clearly below the others'.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                reliability("n3") + 0.2 < Math.min(reliability("n1"), reliability("n2")));
        JsonNode flaky = cluster.get("/api/v1/nodes/n3/reputation");
        assertThat(flaky.get("evidence").asDouble()).as("start outcomes observed on n3").isGreaterThanOrEqualTo(3);
        assertThat(reliability("n1")).isGreaterThan(0.75);
        assertThat(reliability("n2")).isGreaterThan(0.75);
        assertThat(flaky.get("reliability").asDouble()).isLessThan(0.6);
        for (String f : List.of("resource_efficiency", "ecological_balance", "contribution_ratio", "score", "trust")) {
            assertThat(flaky.has(f)).as(f).isTrue();
        }

        // 3. The node list shows the real reputation, and carol's machine sorts last by it.
        assertThat(cluster.nodesByReputation()).last().isEqualTo("n3");
        JsonNode listed = cluster.get("/api/v1/nodes/n3").get("reputation");
        assertThat(listed.get("reliability").asDouble()).isLessThan(0.6);

        // 4. A workload that prefers high reputation places nothing on it, and explain shows why.
        assertThat(cluster.createWorkload("critical", "alice", 2, true).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                instances().stream().filter(i -> i.workload().equals("critical")).count() == 2);
        assertThat(instances().stream().filter(i -> i.workload().equals("critical")).map(Instance::nodeId))
                .doesNotContain("n3");
        JsonNode explain = cluster.get("/api/v1/workloads/critical/explain").get("decisions");
        assertThat(explain).hasSize(2);
        for (JsonNode d : explain) {
            assertThat(d.get("profile").asText()).isEqualTo("mycelial");
            JsonNode best = d.get("top_candidates").get(0);
            assertThat(best.get("node_id").asText()).isNotEqualTo("n3");
            for (String factor : List.of("reliability", "contribution", "efficiency", "ecology", "load-spread",
                    "reputation-preference")) {
                assertThat(best.get("scores").has(factor)).as("explain shows " + factor).isTrue();
            }
        }

        // 5. The ledger: balances sum to zero, and every settlement credits the member whose machine
        //    ran the replica and debits the member who submitted it.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode members = cluster.get("/api/v1/members");
            int giving = 0;
            for (JsonNode m : members) if (m.get("given").asLong() > 0) giving++;
            return giving == 3;
        });
        JsonNode members = cluster.get("/api/v1/members");
        long sum = 0;
        Map<String, Long> balances = new TreeMap<>();
        for (JsonNode m : members) {
            sum += m.get("balance").asLong();
            balances.put(m.get("id").asText(), m.get("balance").asLong());
            assertThat(m.get("credit_limit").asLong()).isNegative();
        }
        assertThat(sum).isZero();

        Map<String, String> hostMember = new HashMap<>();
        for (Node n : cluster.server.store().nodes().values()) hostMember.put(n.id(), n.member());
        Map<String, Instance> byId = new HashMap<>();
        for (Instance i : instances()) byId.put(i.id(), i);
        Map<String, Long> fromEntries = new TreeMap<>();
        JsonNode ledger = cluster.get("/api/v1/ledger");
        assertThat(ledger.size()).isPositive();
        for (JsonNode e : ledger) {
            assertThat(e.get("kind").asText()).isEqualTo("settlement");
            Instance i = byId.get(e.get("instance_id").asText());
            assertThat(i).as("settled instance %s is still placed", e.get("instance_id").asText()).isNotNull();
            assertThat(e.get("credit_member").asText()).isEqualTo(hostMember.get(i.nodeId()));
            assertThat(e.get("debit_member").asText()).isEqualTo(i.spec().member());
            fromEntries.merge(e.get("credit_member").asText(), e.get("amount").asLong(), Long::sum);
            fromEntries.merge(e.get("debit_member").asText(), -e.get("amount").asLong(), Long::sum);
        }
        // The members' view may be a moment older than the ledger read after it; both must add up.
        JsonNode again = cluster.get("/api/v1/members");
        long ledgerSum = fromEntries.values().stream().mapToLong(Long::longValue).sum();
        assertThat(ledgerSum).isZero();
        JsonNode carolOnly = cluster.get("/api/v1/ledger?member=carol");
        for (JsonNode e : carolOnly) {
            assertThat(List.of(e.get("credit_member").asText(), e.get("debit_member").asText())).contains("carol");
        }
        assertThat(again.size()).isEqualTo(3);

        // 6. The credit graph: carol's machine holds exactly the other members' running replicas it hosts.
        JsonNode balance = cluster.get("/api/v1/nodes/n3/credit_balance");
        long othersOnN3 = instances().stream()
                .filter(i -> i.nodeId().equals("n3") && i.isActive() && !i.spec().member().equals("carol")).count();
        assertThat(balance.at("/pledged_out/cpu_millicores").asLong()).isEqualTo(100 * othersOnN3);
        assertThat(balance.at("/pledged_out/memory_mb").asLong()).isEqualTo(64 * othersOnN3);
        long carolElsewhere = instances().stream()
                .filter(i -> !i.nodeId().equals("n3") && i.isActive() && i.spec().member().equals("carol")).count();
        assertThat(balance.at("/received_in/cpu_millicores").asLong()).isEqualTo(100 * carolElsewhere);
        assertThat(balance.get("reputation_score").asDouble()).isBetween(0.0, 1.0);
        assertThat(balance.get("member").asText()).isEqualTo("carol");
        assertThat(balances).containsKeys("alice", "bob", "carol");
        assertThat(instances().stream().filter(i -> i.state() == InstanceState.RUNNING).count()).isPositive();
    }
}
