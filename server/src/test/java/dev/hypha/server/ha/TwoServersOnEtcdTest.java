package dev.hypha.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.LeaderElection;
import dev.hypha.server.ServerConfig;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.EtcdKvStore;
import dev.hypha.store.kv.EtcdTestServer;
import dev.hypha.testkit.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers in one JVM on one real etcd, as two machines would run them: exactly one leads, both
 * serve the whole API with the same tokens, and when the leader goes the other takes over and its
 * controller carries on with agents that fail over to it.
 */
class TwoServersOnEtcdTest {
    /** The acceptance bound for a takeover; a closing leader resigns, so it is much faster. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    EtcdTestServer etcd;
    HyphaServer a;
    HyphaServer b;
    final List<Agent> agents = new ArrayList<>();
    final List<FakeRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void start() {
        etcd = EtcdTestServer.start();
        a = server("a");
        b = server("b");
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(agents);
        all.addAll(List.of(a, b, etcd));
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
    }

    private HyphaServer server(String name) {
        return HyphaServer.start(new ServerConfig(dir.resolve(name), "127.0.0.1", 0, 0, etcd.url(), null, List.of(), "simple"));
    }

    private void agent(String nodeId) {
        FakeRuntime runtime = new FakeRuntime();
        AgentConfig config = new AgentConfig(List.of(a.apiUrl(), b.apiUrl()), a.joinToken(), nodeId, null,
                dir.resolve("agent-" + nodeId), null, List.of(), "fake", new Resources(4000, 8192, 20480), "default",
                0.1, 200, null, 0);
        runtimes.add(runtime);
        agents.add(Agent.start(config, runtime, InstantSource.system()));
    }

    private static Http api(HyphaServer s) {
        return new Http(s.apiUrl(), s.adminToken());
    }

    private Optional<HyphaServer> soleLeader() {
        List<HyphaServer> leaders = Stream.of(a, b).filter(HyphaServer::isLeader).toList();
        return leaders.size() == 1 ? Optional.of(leaders.getFirst()) : Optional.empty();
    }

    private static List<Instance> instances(HyphaServer s, String workload) {
        return s.store().instances().values().stream().filter(i -> i.workload().equals(workload)).toList();
    }

    private static long running(HyphaServer s, String workload) {
        return instances(s, workload).stream().filter(i -> i.state() == InstanceState.RUNNING).count();
    }

    private static String web(int replicas) {
        return "{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":" + replicas
                + ",\"resources\":{\"cpu_millicores\":250,\"memory_mb\":64}}";
    }

    @Test
    void exactlyOneLeadsAndBothServeOneClusterWithTheSameTokens() throws Exception {
        await().atMost(TAKEOVER).until(() -> soleLeader().isPresent());
        HyphaServer leader = soleLeader().orElseThrow();
        HyphaServer follower = leader == a ? b : a;
        assertThat(api(leader).role()).isEqualTo("leader");
        assertThat(api(follower).role()).isEqualTo("follower");

        // One set of secrets for the cluster, written by whichever started first, found by both.
        assertThat(b.adminToken()).isEqualTo(a.adminToken());
        assertThat(b.joinToken()).isEqualTo(a.joinToken());
        assertThat(Files.readString(b.adminTokenFile())).isEqualTo(Files.readString(a.adminTokenFile()));

        // Written through one, read through the other, with the same admin token.
        Http viaA = new Http(a.apiUrl(), a.adminToken());
        Http viaB = new Http(b.apiUrl(), a.adminToken());
        JsonNode created = viaA.ok("POST", "/api/v1/workloads", web(2));
        JsonNode seen = viaB.ok("GET", "/api/v1/workloads/web", null);
        assertThat(seen.get("generation")).isEqualTo(created.get("generation"));
        assertThat(seen.get("replicas").asInt()).isEqualTo(2);
        assertThat(viaB.call("POST", "/api/v1/workloads", web(2)).status()).as("one store: a duplicate conflicts").isEqualTo(409);

        // Only the leader's controller acts; both servers show what it decided (no nodes yet: unplaceable).
        JsonNode explained = await().atMost(SETTLE)
                .until(() -> viaB.ok("GET", "/api/v1/workloads/web/explain", null), e -> e.get("decisions").size() > 0);
        assertThat(explained.at("/decisions/0/outcome").asText()).isEqualTo("unplaceable");
        assertThat(viaA.ok("GET", "/api/v1/workloads/web/explain", null)).isEqualTo(explained);
    }

    @Test
    void whenTheLeaderGoesTheOtherLeadsWithinSecondsAndKeepsReconciling() {
        await().atMost(TAKEOVER).until(() -> soleLeader().isPresent());
        agent("n1");
        agent("n2");
        await().atMost(SETTLE).until(() -> a.store().nodes().values().size() == 2);
        api(a).ok("POST", "/api/v1/workloads", web(2));
        await().atMost(SETTLE).until(() -> running(b, "web") == 2);
        Set<String> before = instances(b, "web").stream().map(Instance::id).collect(Collectors.toSet());

        HyphaServer leader = soleLeader().orElseThrow();
        HyphaServer survivor = leader == a ? b : a;
        leader.close();

        await().atMost(TAKEOVER).until(survivor::isLeader);
        assertThat(api(survivor).role()).isEqualTo("leader");
        assertThat(instances(survivor, "web")).extracting(Instance::id).containsExactlyInAnyOrderElementsOf(before);

        // The new leader's controller places the new replicas; the agents, failed over, run them.
        api(survivor).ok("PUT", "/api/v1/workloads/web", web(4));
        await().atMost(SETTLE).until(() -> running(survivor, "web") == 4 && instances(survivor, "web").size() == 4);
        await().atMost(SETTLE).until(() -> runtimes.stream().mapToInt(r -> r.runningIds().size()).sum() == 4);
        assertThat(instances(survivor, "web")).extracting(Instance::id).containsAll(before);
        assertThat(survivor.store().nodes().values()).allMatch(n -> n.state() == NodeState.ALIVE);
        // The status is the controller's next pass after the last report: it follows, it is not at once.
        await().atMost(SETTLE).until(() ->
                api(survivor).ok("GET", "/api/v1/workloads/web", null).at("/status/ready_replicas").asInt() == 4);
    }

    @Test
    void aLeaderWhoseLeaseIsRevokedBehindItsBackStopsLeadingAtOnceAndCannotWrite() {
        await().atMost(TAKEOVER).until(() -> soleLeader().isPresent());
        HyphaServer leader = soleLeader().orElseThrow();
        LeaderElection.Term stale = leader.election().term().orElseThrow();
        KvStore.Compare staleGuard = leader.election().guard().orElseThrow();
        StateStore staleView = leader.election().fenced(leader.store()).orElseThrow();

        try (EtcdKvStore admin = EtcdKvStore.connect(etcd.url())) {
            admin.revokeLease(stale.leaseId());
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> !leader.election().term().equals(Optional.of(stale)));
        assertThat(leader.store().guardedBy(staleGuard).nodes().delete("none")).isFalse();
        assertThat(leader.store().guardedBy(staleGuard).secrets().create("stale-term", "x")).isFalse();
        assertThat(leader.store().secrets().get("stale-term")).isEmpty();
        assertThatThrownBy(() -> staleView.secrets().put("stale-term", "x"))
                .isInstanceOf(LeaderElection.LeadershipLostException.class);

        // Leadership settles on one server again, in a new term, and its controller works.
        await().atMost(TAKEOVER).until(() -> soleLeader().isPresent());
        assertThat(soleLeader().orElseThrow().election().term().orElseThrow()).isNotEqualTo(stale);
        agent("n1");
        api(a).ok("POST", "/api/v1/workloads", web(1));
        await().atMost(SETTLE).until(() -> running(a, "web") == 1);
    }
}
