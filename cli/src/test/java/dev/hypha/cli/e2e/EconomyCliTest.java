package dev.hypha.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.cli.CliHarness;
import dev.hypha.cli.CliHarness.Result;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The economy's client verbs against a real server with the mycelial profile and two agents owned
 * by alice and bob: {@code node pledge}, {@code node credit-balance}, {@code node reputation},
 * {@code member list} and {@code node list --sort-by}, each calling the server's endpoints.
 */
class EconomyCliTest {
    @TempDir static Path dir;
    static HyphaServer server;
    static final List<Agent> agents = new ArrayList<>();
    static CliHarness cli;

    @BeforeAll
    static void startCluster() throws Exception {
        server = HyphaServer.start(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, "sqlite",
                Duration.ofSeconds(30), List.of(), "mycelial"));
        for (String[] nm : new String[][] {{"n1", "alice"}, {"n2", "bob"}}) {
            agents.add(Agent.start(new AgentConfig(List.of(server.apiUrl()), server.joinToken(), nm[0], nm[1],
                    dir.resolve("agent-" + nm[0]), null, List.of(), "fake", new Resources(4000, 8192, 10240), "eu-west",
                    0.12, 250, null, 0.0)));
        }
        String token = Files.readString(server.adminTokenFile()).strip();
        cli = new CliHarness(Map.of("HYPHA_SERVER", server.apiUrl().toString(), "HYPHA_TOKEN", token),
                Files.createDirectories(dir.resolve("home")));
        await().atMost(Duration.ofSeconds(15)).until(() -> server.store().nodes().values().size() == 2);
        ok("workload", "create", "bob-web", "--image", "busybox", "--replicas", "0", "--member", "bob");
    }

    @AfterAll
    static void stopCluster() {
        agents.forEach(Agent::close);
        if (server != null) server.close();
    }

    static Result ok(String... args) {
        Result r = cli.run(args);
        assertThat(r.exitCode()).as("hypha %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    static JsonNode json(Result r) throws Exception {
        return Json.mapper().readTree(r.out());
    }

    @Test
    void aManualPledgeMovesCreditAndShowsInEveryEconomyVerb() throws Exception {
        JsonNode pledged = json(ok("node", "pledge", "n1", "--to-workload", "bob-web", "--cpu", "500m", "--memory",
                "256Mi", "--duration", "2m", "-o", "json"));
        assertThat(pledged.toString()).contains("manual_adjustment");

        JsonNode balance = json(ok("node", "credit-balance", "n1", "-o", "json"));
        assertThat(balance.at("/pledged_out/cpu_millicores").asLong()).isEqualTo(500);
        assertThat(balance.at("/pledged_out/memory_mb").asLong()).isEqualTo(256);
        assertThat(balance.get("member_balance").asLong()).isPositive();
        assertThat(ok("node", "credit-balance", "n1").out()).contains("Pledged out").contains("Reputation score");

        JsonNode reputation = json(ok("node", "reputation", "n2", "-o", "json"));
        assertThat(reputation.get("reliability").asDouble()).isBetween(0.0, 1.0);
        assertThat(ok("node", "reputation", "n2").out()).contains("Resource efficiency");

        JsonNode members = json(ok("member", "list", "-o", "json"));
        long sum = 0;
        for (JsonNode m : members) sum += m.get("balance").asLong();
        assertThat(sum).isZero();
        assertThat(ok("member", "list").out()).containsPattern("(?m)^alice +[0-9.]+ +-5000 +n1")
                .containsPattern("(?m)^bob +-[0-9.]+ +-5000 +n2");

        // alice's machine has the higher credit, so it comes first; the list by reputation shows both.
        assertThat(ok("node", "list", "--sort-by", "credit").out().lines().skip(1).findFirst().orElseThrow()).startsWith("n1");
        assertThat(json(ok("node", "list", "--sort-by", "reputation", "-o", "json"))).hasSize(2);
    }

    @Test
    void aPledgeToAnUnknownWorkloadFailsWithTheServersReason() {
        Result r = cli.run("node", "pledge", "n1", "--to-workload", "nope", "--cpu", "100m");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("workload 'nope' does not exist");
    }
}
