package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.core.schedule.mycelial.ReputationFloorFilter;
import dev.hypha.model.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The economy as users see it, all as separate processes: three agents owned by three members, one
 * of them flaky ({@code --fake-failure-rate 0.7}). Its reliability falls clearly below the others',
 * {@code node list --sort-by=reputation} puts it last, a {@code --prefer-high-reputation} workload
 * avoids it, and the members' balances sum to zero and reflect who hosted whose work.
 */
class EconomyScenarioTest {
    @TempDir
    Path dir;
    final List<HyphaProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (HyphaProcess p : processes) p.close();
    }

    private HyphaProcess start(String name, String... args) throws Exception {
        HyphaProcess p = HyphaProcess.start(dir.resolve(name + ".log"), args);
        processes.add(p);
        return p;
    }

    private double reliability(HyphaProcess.Api api, String node) throws Exception {
        return api.json("GET", "/api/v1/nodes/" + node + "/reputation", null).get("reliability").asDouble();
    }

    @Test
    void aFlakyNodeLosesReputationAndWorkAvoidsIt() throws Exception {
        int apiPort = HyphaProcess.freePort();
        HyphaProcess server = start("server", "server", "--data-dir", dir.resolve("server").toString(), "--api-port",
                String.valueOf(apiPort), "--gossip-port", "0", "--settle-interval", "2s");
        URI base = URI.create("http://127.0.0.1:" + apiPort);
        HyphaProcess.Api probe = new HyphaProcess.Api(base, "");
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.healthy() || !server.isAlive());
        HyphaProcess.Api api = new HyphaProcess.Api(base, Files.readString(dir.resolve("server/admin.token")).trim());
        String join = Files.readString(dir.resolve("server/join.token")).trim();
        String[][] nodes = {{"n1", "alice", "0.0"}, {"n2", "bob", "0.0"}, {"n3", "carol", "0.7"}};
        for (String[] n : nodes) {
            start(n[0], "agent", "--server", base.toString(), "--join-token", join, "--node-id", n[0], "--member", n[1],
                    "--data-dir", dir.resolve(n[0]).toString(), "--runtime", "fake", "--fake-failure-rate", n[2],
                    "--capacity", "cpu=8000m,memory=16Gi,disk=20Gi");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> api.json("GET", "/api/v1/nodes", null).size() == 3);

        // Work from every member, placed and replaced many times: seven starts in ten on n3 fail.
        for (int round = 0; round < 4; round++) {
            for (String member : List.of("alice", "bob", "carol")) {
                String name = member + "-" + round;
                api.json("POST", "/api/v1/workloads", "{\"name\":\"" + name + "\",\"image\":\"busybox\",\"replicas\":6,"
                        + "\"member\":\"" + member + "\",\"resources\":{\"cpu_millicores\":100,\"memory_mb\":32}}");
            }
        }
        // Below the others, and below the floor a prefer_high_reputation workload asks for.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            double n3 = reliability(api, "n3");
            return n3 < ReputationFloorFilter.DEFAULT_FLOOR
                    && n3 < Math.min(reliability(api, "n1"), reliability(api, "n2")) - 0.2;
        });
        System.out.printf("reliability n1 %.2f, n2 %.2f, n3 %.2f%n", reliability(api, "n1"), reliability(api, "n2"),
                reliability(api, "n3"));

        // The CLI sorts it last.
        HyphaProcess list = start("list", "node", "list", "--sort-by=reputation", "-o", "json", "--server",
                base.toString(), "--token", api.token());
        await().atMost(Duration.ofSeconds(60)).until(() -> !list.isAlive() && list.output().contains("]"));
        JsonNode sorted = Json.mapper().readTree(list.output().substring(list.output().indexOf('[')));
        assertThat(sorted.get(sorted.size() - 1).get("id").asText()).isEqualTo("n3");

        // A workload that asks for high reputation places nothing on it.
        api.json("POST", "/api/v1/workloads", """
                {"name":"careful","image":"busybox","replicas":4,"member":"alice",
                 "resources":{"cpu_millicores":100,"memory_mb":32},"placement":{"prefer_high_reputation":true}}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.json("GET", "/api/v1/workloads/careful/instances", null).size() == 4);
        for (JsonNode i : api.json("GET", "/api/v1/workloads/careful/instances", null)) {
            assertThat(i.get("node_id").asText()).isNotEqualTo("n3");
        }

        // Settlement has run: balances sum to exactly zero and hosts are in credit.
        await().atMost(Duration.ofSeconds(30)).until(() -> api.json("GET", "/api/v1/ledger", null).size() > 0);
        long sum = 0;
        for (JsonNode m : api.json("GET", "/api/v1/members", null)) sum += m.get("balance").asLong();
        assertThat(sum).isZero();
        for (JsonNode e : api.json("GET", "/api/v1/ledger", null)) {
            if (!e.path("kind").asText().equals("settlement")) continue;
            assertThat(e.get("credit_member").asText()).isNotEqualTo(e.get("debit_member").asText());
        }
    }
}
