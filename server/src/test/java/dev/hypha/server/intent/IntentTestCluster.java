package dev.hypha.server.intent;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.model.Json;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import dev.hypha.store.StateStore;
import dev.hypha.testkit.FakeRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real server on a temp dir and a loopback port, with fake-runtime agents that register with a
 * region, a price and a carbon intensity, and a small HTTP client for the API.
 */
final class IntentTestCluster implements AutoCloseable {
    /** Every agent offers 4 cores and 8 GiB: a replica of 500m and 512Mi takes an eighth of it. */
    static final Resources CAPACITY = new Resources(4000, 8192, 20480);

    final HyphaServer server;
    final Map<String, Agent> agents = new LinkedHashMap<>();
    final Map<String, FakeRuntime> runtimes = new LinkedHashMap<>();
    private final Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    IntentTestCluster(Path dataDir) {
        this.dataDir = dataDir;
        this.server = HyphaServer.start(new ServerConfig(dataDir.resolve("server"), "127.0.0.1", 0, 0, "sqlite",
                Duration.ofSeconds(30), List.of(), "simple"));
    }

    void addAgent(String nodeId, String region, double costPerHour, double carbonIntensity) {
        FakeRuntime runtime = new FakeRuntime();
        AgentConfig config = new AgentConfig(List.of(server.apiUrl()), server.joinToken(), nodeId, null,
                dataDir.resolve("agent-" + nodeId), null, List.of(), "fake", CAPACITY, region, costPerHour,
                carbonIntensity, null, 0);
        runtimes.put(nodeId, runtime);
        agents.put(nodeId, Agent.start(config, runtime, InstantSource.system()));
    }

    /**
     * Waits until {@code nodes} nodes are alive and the store has stopped changing for half a
     * second (a node that registers can be marked dead for a moment before its first report), and
     * returns the store's revision then.
     */
    static long awaitQuiet(StateStore store, int nodes) {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = store.kv().revision();
            boolean quiet = now == last[0];
            last[0] = now;
            return quiet && store.nodes().values().stream().filter(n -> n.state() == NodeState.ALIVE).count() == nodes;
        });
        return last[0];
    }

    /** Stops an agent as a crash would look to the server: it simply stops reporting. */
    void kill(String nodeId) {
        agents.remove(nodeId).close();
    }

    record Response(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Response call(String method, String path, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.apiUrl() + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + server.adminToken())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " " + path + " was interrupted", e);
        }
    }

    @Override
    public void close() {
        agents.values().forEach(Agent::close);
        server.close();
    }
}
