package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server and three agents as separate processes on loopback, gossiping: {@code kill -9} of an
 * agent makes its node dead through SWIM and its replicas run again on the others; restarted, it
 * rejoins alive and nothing ends over-replicated.
 */
class GossipFailoverTest {
    @TempDir
    Path dir;
    final List<HyphaProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (HyphaProcess p : processes) p.close();
    }

    private HyphaProcess agent(String id, URI server, String joinToken) throws Exception {
        HyphaProcess p = HyphaProcess.start(dir.resolve(id + ".log"), "agent", "--server", server.toString(),
                "--join-token", joinToken, "--node-id", id, "--member", "m-" + id, "--data-dir", dir.resolve(id).toString(),
                "--runtime", "fake", "--capacity", "cpu=4000m,memory=8Gi,disk=20Gi");
        processes.add(p);
        return p;
    }

    private static Map<String, String> nodeStates(HyphaProcess.Api api) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : api.json("GET", "/api/v1/nodes", null)) out.put(n.get("id").asText(), n.get("state").asText());
        return out;
    }

    private static Map<String, Integer> runningPerNode(HyphaProcess.Api api, String workload) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode i : api.json("GET", "/api/v1/workloads/" + workload + "/instances", null)) {
            if (i.get("state").asText().equals("running")) out.merge(i.get("node_id").asText(), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void aKilledAgentIsDeclaredDeadByGossipAndItsReplicasMove() throws Exception {
        int apiPort = HyphaProcess.freePort();
        int gossipPort = HyphaProcess.freePort();
        HyphaProcess server = HyphaProcess.start(dir.resolve("server.log"), "server", "--data-dir",
                dir.resolve("server").toString(), "--api-port", String.valueOf(apiPort), "--gossip-port",
                String.valueOf(gossipPort));
        processes.add(server);
        URI base = URI.create("http://127.0.0.1:" + apiPort);
        HyphaProcess.Api probe = new HyphaProcess.Api(base, "");
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.healthy() || !server.isAlive());
        assertThat(server.isAlive()).as(server.output()).isTrue();
        HyphaProcess.Api api = new HyphaProcess.Api(base, Files.readString(dir.resolve("server/admin.token")).trim());
        String join = Files.readString(dir.resolve("server/join.token")).trim();

        Map<String, HyphaProcess> agents = new HashMap<>();
        for (String id : List.of("a1", "a2", "a3")) agents.put(id, agent(id, base, join));
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeStates(api).size() == 3
                && nodeStates(api).values().stream().allMatch("alive"::equals));

        api.json("POST", "/api/v1/workloads", """
                {"name":"web","image":"busybox","replicas":6,"resources":{"cpu_millicores":250,"memory_mb":64}}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> runningPerNode(api, "web").values().stream()
                .mapToInt(Integer::intValue).sum() == 6);
        assertThat(runningPerNode(api, "web")).containsOnlyKeys("a1", "a2", "a3");

        long killedAt = System.nanoTime();
        agents.get("a3").kill9();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "dead".equals(nodeStates(api).get("a3")));
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("node a3 declared dead %.1f s after kill -9%n", seconds);
        assertThat(server.output()).contains("node a3 is dead (gossip)");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Integer> r = runningPerNode(api, "web");
            return r.values().stream().mapToInt(Integer::intValue).sum() == 6 && !r.containsKey("a3");
        });

        // Restarted, it rejoins alive; nothing ends over-replicated.
        agent("a3", base, join);
        await().atMost(Duration.ofSeconds(30)).until(() -> "alive".equals(nodeStates(api).get("a3")));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() ->
                api.json("GET", "/api/v1/workloads/web/instances", null).size() == 6
                        && runningPerNode(api, "web").values().stream().mapToInt(Integer::intValue).sum() == 6);
    }
}
