package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.store.kv.EtcdTestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several servers on etcd, as separate processes the way an operator runs them: two
 * {@code hypha server --store etcd://…} and one {@code hypha agent} that knows both. {@code kill -9}
 * of the leader: the other server leads within the lease's TTL, the workload and its instances are
 * intact, scaling through the survivor works, and the agent reports through it.
 */
class HaFailoverTest {
    /** The leader's lease is 10 s; its key goes when the lease runs out, and the survivor takes over at once. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    EtcdTestServer etcd;
    final List<HyphaProcess> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        Exception first = null;
        for (HyphaProcess p : processes.reversed()) {
            try {
                p.close();
            } catch (Exception e) {
                if (first == null) first = e;
            }
            // Into surefire's output file: what each process said, for a failure's post-mortem.
            System.out.println("---- " + p.log.getFileName() + "\n" + p.output());
        }
        if (etcd != null) etcd.close();
        if (first != null) throw first;
    }

    private HyphaProcess start(String name, String... args) throws Exception {
        HyphaProcess p = HyphaProcess.start(dir.resolve(name + ".log"), args);
        processes.add(p);
        return p;
    }

    private record Server(String name, HyphaProcess process, HyphaProcess.Api api) {
        String role() {
            try {
                return api.json("GET", "/healthz", null).get("role").asText();
            } catch (Exception unreachable) {
                return "unreachable";
            }
        }
    }

    private Server server(String name) throws Exception {
        int port = HyphaProcess.freePort();
        HyphaProcess p = start(name, "server", "--store", etcd.url(), "--api-port", String.valueOf(port),
                "--gossip-port", "0", "--data-dir", dir.resolve(name).toString());
        return new Server(name, p, new HyphaProcess.Api(URI.create("http://127.0.0.1:" + port), null));
    }

    private static Server withToken(Server s, String token) {
        return new Server(s.name(), s.process(), new HyphaProcess.Api(s.api().base(), token));
    }

    private static String web(int replicas) {
        return "{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":" + replicas
                + ",\"resources\":{\"cpu_millicores\":100,\"memory_mb\":16}}";
    }

    private static List<JsonNode> instances(Server s) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : s.api().json("GET", "/api/v1/workloads/web/instances", null)) out.add(i);
        return out;
    }

    private static long running(Server s) throws Exception {
        return instances(s).stream().filter(i -> i.get("state").asText().equals("running")).count();
    }

    @Test
    void killNineOfTheLeaderHandsTheClusterToTheOtherServerIntact() throws Exception {
        etcd = EtcdTestServer.start();
        Server a = server("a");
        Server b = server("b");
        for (Server s : List.of(a, b)) {
            await().atMost(START).until(() -> s.api().healthy() || !s.process().isAlive());
            assertThat(s.process().isAlive()).as(s.process().output()).isTrue();
        }
        // One cluster: both servers hold the same tokens, from the store.
        String admin = Files.readString(dir.resolve("a/admin.token")).trim();
        String join = Files.readString(dir.resolve("a/join.token")).trim();
        assertThat(Files.readString(dir.resolve("b/admin.token")).trim()).isEqualTo(admin);
        a = withToken(a, admin);
        b = withToken(b, admin);

        start("agent", "agent", "--server", a.api().base() + "," + b.api().base(), "--join-token", join,
                "--runtime", "fake", "--node-id", "n1", "--data-dir", dir.resolve("agent").toString(),
                "--capacity", "cpu=4000m,memory=8Gi,disk=20Gi");
        Server viaA = a;
        await().atMost(START).until(() -> viaA.api().json("GET", "/api/v1/nodes", null).size() == 1);

        a.api().json("POST", "/api/v1/workloads", web(2));
        await().atMost(SETTLE).until(() -> running(viaA) == 2);
        Set<String> before = new HashSet<>();
        for (JsonNode i : instances(a)) before.add(i.get("id").asText());

        Server viaB = b;
        await().atMost(SETTLE).until(() -> List.of(viaA.role(), viaB.role()).stream().filter("leader"::equals).count() == 1);
        Server leader = a.role().equals("leader") ? a : b;
        Server survivor = leader == a ? b : a;
        assertThat(survivor.role()).isEqualTo("follower");

        leader.process().kill9();
        long killed = System.nanoTime();

        await().atMost(TAKEOVER).until(() -> survivor.role().equals("leader"));
        System.out.printf("%s leads %d ms after kill -9 of %s%n", survivor.name(),
                (System.nanoTime() - killed) / 1_000_000, leader.name());
        assertThat(survivor.process().isAlive()).isTrue();

        // The workload and its instances are as they were.
        JsonNode workload = survivor.api().json("GET", "/api/v1/workloads/web", null);
        assertThat(workload.get("replicas").asInt()).isEqualTo(2);
        Set<String> after = new HashSet<>();
        for (JsonNode i : instances(survivor)) after.add(i.get("id").asText());
        assertThat(after).isEqualTo(before);

        // Scaling through the survivor works: its controller places, the agent (failed over) runs them.
        survivor.api().json("PUT", "/api/v1/workloads/web", web(4));
        await().atMost(SETTLE).until(() -> running(survivor) == 4 && instances(survivor).size() == 4);
        assertThat(instances(survivor)).extracting(i -> i.get("node_id").asText()).containsOnly("n1");
        assertThat(survivor.api().json("GET", "/api/v1/nodes/n1", null).get("state").asText()).isEqualTo("alive");
        // The status follows the instances on the controller's next pass.
        await().atMost(SETTLE).until(() ->
                survivor.api().json("GET", "/api/v1/workloads/web", null).at("/status/ready_replicas").asInt() == 4);
    }
}
