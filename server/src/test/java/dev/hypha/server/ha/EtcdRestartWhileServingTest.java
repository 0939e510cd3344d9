package dev.hypha.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import dev.hypha.store.kv.EtcdTestServer;
import dev.hypha.testkit.FakeRuntime;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd stopped and started again on the same data, twice (gracefully, then killed), under a
 * running server with an agent and a client writing all the while: every write the API accepted
 * is still there, the server carries on as leader, its change notifier resumes without a gap, and
 * long-polls and the agent keep working.
 */
class EtcdRestartWhileServingTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    EtcdTestServer etcd;
    HyphaServer server;
    Agent agent;
    FakeRuntime runtime;

    @BeforeEach
    void start() {
        etcd = EtcdTestServer.start();
        server = HyphaServer.start(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, etcd.url(), null,
                List.of(), "simple"));
        runtime = new FakeRuntime();
        agent = Agent.start(new AgentConfig(List.of(server.apiUrl()), server.joinToken(), "n1", null,
                dir.resolve("agent"), null, List.of(), "fake", new Resources(4000, 8192, 20480), "default", 0.1, 200,
                null, 0), runtime, InstantSource.system());
    }

    @AfterEach
    void stop() {
        Closer.closeAll(agent, server, etcd);
    }

    private static String workload(String name, int replicas) {
        return "{\"name\":\"" + name + "\",\"image\":\"busybox\",\"replicas\":" + replicas
                + ",\"resources\":{\"cpu_millicores\":100,\"memory_mb\":16}}";
    }

    private long running(String workload) {
        return server.store().instances().values().stream()
                .filter(i -> i.workload().equals(workload) && i.state() == InstanceState.RUNNING).count();
    }

    @Test
    void restartsOfEtcdLoseNoAcceptedWriteAndTheServerCarriesOn() throws Exception {
        Http api = new Http(server.apiUrl(), server.adminToken());
        api.ok("POST", "/api/v1/workloads", workload("web", 1));
        await().atMost(SETTLE).until(() -> running("web") == 1 && server.isLeader());

        // A client creates workloads one after another for the whole test, and remembers which the API accepted.
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Integer> refusedStatuses = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; writing.get(); i++) {
                String name = "w" + i;
                try {
                    Http.Response r = api.call("POST", "/api/v1/workloads", workload(name, 0));
                    if (r.status() == 201) accepted.add(name);
                    else refusedStatuses.add(r.status());
                } catch (UncheckedIOException unreachable) {
                    refusedStatuses.add(0);
                }
            }
        });

        for (String how : List.of("graceful", "crash")) {
            int before = accepted.size();
            await().atMost(SETTLE).until(() -> accepted.size() >= before + 5);
            if (how.equals("graceful")) etcd.restart();
            else etcd.crashAndRestart();
            int atRestart = accepted.size();
            await("writes accepted again after the " + how + " restart").atMost(SETTLE).until(() -> accepted.size() >= atRestart + 5);
        }
        writing.set(false);
        writer.get();

        // 1. Nothing the API accepted was lost.
        Set<String> stored = new HashSet<>();
        for (JsonNode w : api.ok("GET", "/api/v1/workloads", null)) stored.add(w.get("name").asText());
        assertThat(stored).containsAll(accepted);
        assertThat(refusedStatuses).as("refusals are 503s, never a wrong answer").allMatch(s -> s == 503 || s == 0);

        // 2. The change notifier resumed without a gap: it sees new writes, and never had to start over.
        long written = server.store().kv().put("/hypha/probe", new byte[] {1});
        await().atMost(SETTLE).until(() -> server.changes().revision() >= written);
        assertThat(server.changes().rewatches()).isZero();

        // 3. A long-poll for assignments returns on a change, long before its wait is over.
        long now = server.store().kv().revision();
        Http agentApi = new Http(server.apiUrl(), server.joinToken());
        CompletableFuture<Http.Response> poll = CompletableFuture.supplyAsync(() -> agentApi.call("GET",
                "/api/v1/agents/n1/assignments?after=" + now + "&wait_seconds=60", null, Duration.ofSeconds(90)));
        api.ok("PUT", "/api/v1/workloads/web", workload("web", 3));
        Http.Response answered = poll.get(SETTLE.toSeconds(), TimeUnit.SECONDS);
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.json().get("revision").asLong()).isGreaterThan(now);

        // 4. The leader's controller and the agent carry on: the new replicas run.
        await().atMost(SETTLE).until(() -> running("web") == 3 && runtime.runningIds().size() == 3);
        assertThat(server.isLeader()).isTrue();
        assertThat(server.store().instances().values()).extracting(Instance::nodeId).containsOnly("n1");
    }
}
