package dev.hypha.server;

import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.model.Resources;
import dev.hypha.testkit.FakeRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A real server on a temp dir and loopback port, with fake-runtime agents, plus a small HTTP client. */
final class TestCluster implements AutoCloseable {
    final Path dataDir;
    HyphaServer server;
    final List<Agent> agents = new ArrayList<>();
    final List<FakeRuntime> runtimes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    TestCluster(Path dataDir) {
        this.dataDir = dataDir;
        this.server = HyphaServer.start(config());
    }

    ServerConfig config() {
        return new ServerConfig(dataDir.resolve("server"), "127.0.0.1", 0, 0, "sqlite", Duration.ofSeconds(30),
                List.of(), "simple");
    }

    void restartServer() {
        server.close();
        server = HyphaServer.start(config());
    }

    Agent addAgent(String nodeId, Resources capacity) {
        FakeRuntime rt = new FakeRuntime();
        runtimes.add(rt);
        AgentConfig cfg = new AgentConfig(List.of(server.apiUrl()), server.joinToken(), nodeId, null,
                dataDir.resolve("agent-" + nodeId), null, List.of(), "fake", capacity, "default", 0.1, 200, null, 0);
        Agent a = Agent.start(cfg, rt, InstantSource.system());
        agents.add(a);
        return a;
    }

    record Response(int status, String body, String contentType) {}

    Response call(String method, String path, String body) {
        return call(method, path, body, server.adminToken());
    }

    Response call(String method, String path, String body, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.apiUrl() + path))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) b.header("Authorization", "Bearer " + token);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        agents.forEach(Agent::close);
        server.close();
    }
}
