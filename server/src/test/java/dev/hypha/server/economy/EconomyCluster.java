package dev.hypha.server.economy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import dev.hypha.testkit.FakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real server with the mycelial profile on a fixed loopback port (so agents find it again after
 * a restart), fake-runtime agents owned by members, and a small HTTP client for the API.
 */
final class EconomyCluster implements AutoCloseable {
    static final Resources BIG_NODE = new Resources(64_000, 262_144, 102_400);

    final Path dataDir;
    final EconomySettings settings;
    final Duration settleInterval;
    final int port;
    HyphaServer server;
    final Map<String, Agent> agents = new LinkedHashMap<>();
    final Map<String, FakeRuntime> runtimes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    EconomyCluster(Path dataDir, EconomySettings settings, Duration settleInterval) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.settleInterval = settleInterval;
        this.port = freePort();
        this.server = HyphaServer.start(config(), settings);
    }

    private ServerConfig config() {
        return new ServerConfig(dataDir.resolve("server"), "127.0.0.1", port, 0, "sqlite", settleInterval, List.of(),
                "mycelial");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and starts it again on the same store and port. */
    void restartServer() {
        server.close();
        server = HyphaServer.start(config(), settings);
    }

    /** An agent for node {@code nodeId} owned by {@code member}; {@code failureRate} of its starts fail as node faults. */
    Agent addAgent(String nodeId, String member, double failureRate, long seed) {
        FakeRuntime rt = new FakeRuntime(InstantSource.system(), failureRate, seed);
        AgentConfig cfg = new AgentConfig(List.of(server.apiUrl()), server.joinToken(), nodeId, member,
                dataDir.resolve("agent-" + nodeId), null, List.of(), "fake", BIG_NODE, "default", 0.1, 200, null,
                failureRate);
        Agent a = Agent.start(cfg, rt, InstantSource.system());
        agents.put(nodeId, a);
        runtimes.put(nodeId, rt);
        return a;
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Response call(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.apiUrl() + path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + server.adminToken())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET that must answer 200. */
    JsonNode get(String path) {
        Response r = call("GET", path, null);
        if (r.status() != 200) throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.body());
        return r.json();
    }

    /** A workload of {@code member}: busybox, {@code replicas} of 100m and 64 MB. */
    Response createWorkload(String name, String member, int replicas, boolean preferHighReputation) {
        return call("POST", "/api/v1/workloads", workloadJson(name, member, replicas, preferHighReputation));
    }

    static String workloadJson(String name, String member, int replicas, boolean preferHighReputation) {
        return """
                {"name":"%s","image":"busybox","replicas":%d,"member":"%s",
                 "resources":{"cpu_millicores":100,"memory_mb":64},
                 "placement":{"prefer_high_reputation":%s}}""".formatted(name, replicas, member, preferHighReputation);
    }

    /** The nodes' ids as {@code GET /api/v1/nodes} lists them, best reputation first (the CLI's --sort-by=reputation). */
    List<String> nodesByReputation() {
        List<JsonNode> nodes = new ArrayList<>();
        get("/api/v1/nodes").forEach(nodes::add);
        nodes.sort((a, b) -> Double.compare(score(b.get("reputation")), score(a.get("reputation"))));
        return nodes.stream().map(n -> n.get("id").asText()).toList();
    }

    /** The seed's weights, as {@code ReputationBook.overall} and the CLI fold a reputation into one number. */
    static double score(JsonNode r) {
        return 0.4 * r.get("reliability").asDouble() + 0.3 * r.get("contribution_ratio").asDouble()
                + 0.2 * r.get("resource_efficiency").asDouble() + 0.1 * r.get("ecological_balance").asDouble();
    }

    @Override
    public void close() {
        agents.values().forEach(Agent::close);
        server.close();
    }
}
