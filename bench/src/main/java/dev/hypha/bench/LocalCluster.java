package dev.hypha.bench;

import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.model.Resources;
import dev.hypha.runtime.FileTrees;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import dev.hypha.testkit.FakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Hypha cluster in this process for the end-to-end benchmarks: a {@link HyphaServer} on a
 * SQLite store in a temporary directory with its API on a free port, and agents that join it
 * through the API, as {@code hypha up} and {@code hypha agent} start them. Closing it stops
 * everything and deletes the directory.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final HyphaServer server;
    private final List<Agent> agents = new ArrayList<>();
    private boolean realContainers;

    private LocalCluster(Path dir, HyphaServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** A server with the given scheduler profile and no agents yet. */
    public static LocalCluster start(String profile) {
        Path dir;
        try {
            dir = Files.createTempDirectory("hypha-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        ServerConfig config = new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, "sqlite", Duration.ofSeconds(30),
                List.of(), profile);
        return new LocalCluster(dir, HyphaServer.start(config));
    }

    /**
     * Starts an agent named {@code nodeId} with {@code capacity} on the runtime named as the
     * agent's {@code --runtime} ("fake": the testkit's in-memory {@link FakeRuntime}; "runc": real
     * containers), and waits until its node is registered.
     */
    public Agent addAgent(String nodeId, Resources capacity, String runtime) {
        AgentConfig config = new AgentConfig(List.of(server.apiUrl()), server.joinToken(), nodeId, null,
                dir.resolve("agent-" + nodeId), null, List.of(), runtime, capacity, "local", 0.1, 200, null, 0);
        Agent agent = runtime.equals("fake") ? Agent.start(config, new FakeRuntime(), InstantSource.system())
                : Agent.start(config);
        realContainers |= !runtime.equals("fake");
        agents.add(agent);
        Instant deadline = Instant.now().plusSeconds(60);
        while (server.store().nodes().value(nodeId).isEmpty()) {
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException("agent " + nodeId + " did not register in 60 s");
            pause(Duration.ofMillis(20));
        }
        return agent;
    }

    public HyphaServer server() {
        return server;
    }

    /** POSTs a JSON body to the API with the admin token; returns the status code. */
    public int post(String path, String json) throws IOException {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * DELETEs a path of the API with the admin token; returns the status code. A 409 (the record
     * changed between the server's read and its delete, e.g. the controller updated a workload's
     * status) is retried a few times, as a user would.
     */
    public int delete(String path) throws IOException {
        int status = 409;
        for (int attempt = 0; attempt < 10 && status == 409; attempt++) status = send("DELETE", path, null);
        return status;
    }

    /**
     * One request on the calling thread over a kept-alive connection ({@link HttpURLConnection}, as
     * the agent's client sends), reading the answer to its end. Not {@code java.net.http}: its
     * hand-offs between the caller, its selector and its executor threads, in the same process as
     * the server on two cores, took about 2 ms of every request before the server saw it (a POST
     * answered 400 took 3.0 ms against 1.0 ms this way), time the benchmarks would count as Hypha's.
     */
    private int send(String method, String path, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) api(path).toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(60_000);
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", "Bearer " + server.adminToken());
        if (body != null) {
            c.setRequestProperty("Content-Type", "application/json");
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        // Read to the end, so the connection goes back to the keep-alive pool for the next request.
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in != null) {
            try (in) {
                in.readAllBytes();
            }
        }
        return status;
    }

    /** Deletes every workload and waits (up to two minutes) until their instances are gone. */
    public void deleteAllWorkloads() throws IOException {
        for (var w : server.store().workloads().values()) delete("/api/v1/workloads/" + w.name());
        Instant deadline = Instant.now().plusSeconds(120);
        while (!server.store().instances().values().isEmpty() && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(50));
        }
    }

    private URI api(String path) {
        return server.apiUrl().resolve(path);
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops everything; with real containers, deletes every workload first so no container outlives the run. */
    @Override
    public void close() {
        if (realContainers) {
            try {
                deleteAllWorkloads();
            } catch (IOException | RuntimeException e) {
                System.err.println("could not delete the benchmark's workloads before stopping: " + e);
            }
        }
        for (Agent a : agents) a.close();
        server.close();
        FileTrees.delete(dir);
    }
}
