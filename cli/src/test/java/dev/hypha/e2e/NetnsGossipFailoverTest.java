package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server and three agents on three hosts of a namespace network, gossiping over real links:
 * cutting a host's link makes its node dead through SWIM and its replicas run on the other two;
 * healing the link brings the host back alive without over-replicating anything; and 10 % UDP
 * loss on every host for half a minute makes no node dead.
 *
 * <p>Everything that talks to the lab's addresses runs inside its namespaces: the server, the
 * agents and the HTTP relay this test sends its API calls through.
 */
class NetnsGossipFailoverTest {
    private static final int API_PORT = 7070;
    private static final int GOSSIP_PORT = 7946;
    private static final int LOSS_PERCENT = 10;
    private static final Duration LOSS_PERIOD = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    NetnsLab lab;
    /** The role processes by name (also the name of their log). */
    final Map<String, Process> processes = new LinkedHashMap<>();
    NetnsHttpRelay.Client api;

    @BeforeEach
    void makeNetwork() throws Exception {
        lab = NetnsLab.create(3);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (api != null) api.close();
            for (Process p : processes.values()) p.destroy();
            for (Process p : processes.values()) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        } finally {
            if (lab != null) lab.close();
        }
    }

    private Process start(String namespace, String name, String... args) throws IOException {
        Process p = NetnsLab.startJava(namespace, dir.resolve(name + ".log"), "dev.hypha.cli.Main", List.of(args));
        processes.put(name, p);
        return p;
    }

    private boolean allRunning() {
        return processes.values().stream().allMatch(Process::isAlive);
    }

    /** Fails with the log of any role process that has exited. */
    private void assertAllRunning() {
        processes.forEach((name, p) -> assertThat(p.isAlive()).as("%s exited:%n%s", name, log(name)).isTrue());
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Map<String, String> nodeStates() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode n : api.json("GET", "/api/v1/nodes", null)) out.put(n.get("id").asText(), n.get("state").asText());
        return out;
    }

    private JsonNode instances() throws IOException {
        return api.json("GET", "/api/v1/workloads/web/instances", null);
    }

    private Map<String, Integer> runningPerNode() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode i : instances()) {
            if (i.get("state").asText().equals("running")) out.merge(i.get("node_id").asText(), 1, Integer::sum);
        }
        return out;
    }

    /** The instance ids the server places on each node. */
    private Map<String, Set<String>> instancesPerNode() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode i : instances()) out.computeIfAbsent(i.get("node_id").asText(), k -> new TreeSet<>()).add(i.get("id").asText());
        return out;
    }

    /**
     * The containers each host's agent holds, read from its data dir (one log file per container;
     * the agent deletes it with the container): a host that kept a replica the server moved away
     * while it was cut off would show it here.
     */
    private Map<String, Set<String>> containersOnHosts() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String host : List.of("h1", "h2", "h3")) {
            Path logs = dir.resolve(host).resolve("logs");
            if (!Files.isDirectory(logs)) continue;
            try (Stream<Path> files = Files.list(logs)) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".log"))
                        .forEach(f -> out.computeIfAbsent(host, k -> new TreeSet<>()).add(f.substring(0, f.length() - 4)));
            }
        }
        return out;
    }

    private static int total(Map<String, Integer> perNode) {
        return perNode.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String seconds(long sinceNanos) {
        return String.format("%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
    }

    @Test
    void aCutHostFailsOverAndHealsWithoutOverReplicationAndLossMakesNoNodeDead() throws Exception {
        long testStart = System.nanoTime();
        String hub = lab.hub();
        URI base = URI.create("http://" + NetnsLab.HUB_ADDRESS + ":" + API_PORT);
        Process server = start(hub, "server", "server", "--data-dir", dir.resolve("server").toString(),
                "--bind", NetnsLab.HUB_ADDRESS, "--api-port", String.valueOf(API_PORT),
                "--gossip-port", String.valueOf(GOSSIP_PORT));
        Path adminToken = dir.resolve("server/admin.token");
        Path joinToken = dir.resolve("server/join.token");
        await().atMost(Duration.ofSeconds(60)).until(() -> !server.isAlive()
                || Files.exists(adminToken) && Files.exists(joinToken) && Files.size(adminToken) > 0 && Files.size(joinToken) > 0);
        assertAllRunning();

        String join = Files.readString(joinToken).trim();
        for (int i = 1; i <= 3; i++) {
            String id = "h" + i;
            start(lab.host(i), id, "agent", "--server", base.toString(), "--join-token", join, "--node-id", id,
                    "--member", "m-" + id, "--data-dir", dir.resolve(id).toString(),
                    "--gossip-bind", lab.address(i) + ":" + GOSSIP_PORT, "--runtime", "fake",
                    "--capacity", "cpu=4000m,memory=8Gi,disk=20Gi");
        }
        api = new NetnsHttpRelay.Client(hub, dir.resolve("relay.log"), base, Files.readString(adminToken).trim());
        await().atMost(Duration.ofSeconds(60)).until(() -> api.healthy() || !allRunning());
        assertAllRunning();
        await().atMost(Duration.ofSeconds(60)).until(() -> !allRunning()
                || nodeStates().equals(Map.of("h1", "alive", "h2", "alive", "h3", "alive")));
        assertAllRunning();
        System.out.printf("netns: three nodes alive %s after start%n", seconds(testStart));

        api.json("POST", "/api/v1/workloads", """
                {"name":"web","image":"busybox","replicas":6,"resources":{"cpu_millicores":250,"memory_mb":64}}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> total(runningPerNode()) == 6);
        assertThat(runningPerNode()).as("replicas spread over the three hosts").containsOnlyKeys("h1", "h2", "h3");

        // 1. Cut h3's link: gossip declares it dead and its replicas run on h1 and h2.
        long cutAt = System.nanoTime();
        lab.cut(3);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> "dead".equals(nodeStates().get("h3")));
        System.out.printf("netns: node h3 declared dead %s after its link was cut%n", seconds(cutAt));
        assertThat(log("server")).contains("node h3 is dead (gossip)");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Integer> r = runningPerNode();
            return total(r) == 6 && !r.containsKey("h3");
        });
        System.out.printf("netns: all 6 replicas running on h1/h2 %s after the cut%n", seconds(cutAt));

        // 2. Heal it: h3 refutes its death, comes back alive, and the workload settles at exactly 6.
        long healedAt = System.nanoTime();
        lab.heal(3);
        // About a second when gossip still carries h3's death to it; when that gossip ran out during
        // the cut, h3 learns it only at the next push-pull or join retry (every 30 s) and refutes then.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "alive".equals(nodeStates().get("h3")));
        System.out.printf("netns: node h3 alive again %s after the heal%n", seconds(healedAt));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).until(() ->
                instances().size() == 6 && total(runningPerNode()) == 6 && containersOnHosts().equals(instancesPerNode()));
        assertThat(nodeStates()).containsOnly(Map.entry("h1", "alive"), Map.entry("h2", "alive"), Map.entry("h3", "alive"));

        // 3. 10 % of UDP lost on every host for half a minute: no node is declared dead.
        int serverLogBefore = log("server").length();
        for (String ns : lab.namespaces()) lab.dropUdp(ns, LOSS_PERCENT);
        long lossFrom = System.nanoTime();
        List<String> notAlive = new ArrayList<>();
        try {
            await().during(LOSS_PERIOD).atMost(LOSS_PERIOD.plusSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<String, String> states = nodeStates();
                states.forEach((node, state) -> {
                    if (!state.equals("alive")) notAlive.add(node + " " + state + " at " + seconds(lossFrom));
                });
                return !states.containsValue("dead");
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("a node was declared dead under " + LOSS_PERCENT + " % UDP loss: " + notAlive, e);
        }
        Map<String, NetnsLab.UdpLoss> loss = new TreeMap<>();
        for (String ns : lab.namespaces()) loss.put(ns.substring(ns.lastIndexOf('-') + 1), lab.udpLoss(ns));
        String underLoss = log("server").substring(serverLogBefore);
        System.out.printf("netns: %d %% UDP loss for %s: dropped/arrived %s; suspicions in the server log %d;"
                        + " node states seen not alive %s%n", LOSS_PERCENT, seconds(lossFrom), loss,
                underLoss.lines().filter(l -> l.contains("is suspect")).count(), notAlive);
        assertThat(loss.values()).as("the loss rules dropped packets on every host").allMatch(l -> l.dropped() > 0);
        assertThat(underLoss).as("server log under loss").doesNotContain("is dead");
        assertThat(nodeStates()).containsOnly(Map.entry("h1", "alive"), Map.entry("h2", "alive"), Map.entry("h3", "alive"));
        assertAllRunning();
        System.out.printf("netns: whole scenario %s%n", seconds(testStart));
    }
}
