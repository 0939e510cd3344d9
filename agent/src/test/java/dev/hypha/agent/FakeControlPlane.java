package dev.hypha.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The servers' agent-facing API as one agent needs it, on a loopback port: registration, a fixed
 * list of assignments, and status reports kept in order. The server module depends on the agent
 * module, so the agent's own tests talk to this instead.
 *
 * <p>Every accepted status report runs {@code afterReport}: a test hands it a clock to advance,
 * so each pass of the agent is one step of fake time.
 */
final class FakeControlPlane implements AutoCloseable {
    private final HttpServer server;
    private final List<Instance> assigned;
    private final Runnable afterReport;
    private final AtomicLong revision = new AtomicLong(1);
    private final Map<String, List<InstanceStatusReport>> history = new ConcurrentHashMap<>();

    FakeControlPlane(List<Instance> assigned, Runnable afterReport) throws IOException {
        this.assigned = List.copyOf(assigned);
        this.afterReport = afterReport;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/agents/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every report received for one instance, oldest first. */
    List<InstanceStatusReport> history(String instanceId) {
        return List.copyOf(history.getOrDefault(instanceId, List.of()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Object reply;
            if (path.endsWith("/register")) {
                reply = new AgentProtocol.Registered("n1", 5, 15, "", List.of());
            } else if (path.endsWith("/assignments")) {
                pause(); // a short long-poll, so the agent's loop does not spin
                reply = new AgentProtocol.Assignments(revision.incrementAndGet(), assigned);
            } else if (path.endsWith("/status")) {
                var report = Json.mapper().readValue(ex.getRequestBody(), AgentProtocol.StatusReport.class);
                for (InstanceStatusReport r : report.instances()) {
                    history.computeIfAbsent(r.id(), k -> new CopyOnWriteArrayList<>()).add(r);
                }
                afterReport.run();
                reply = new AgentProtocol.Accepted(report.instances().size());
            } else {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Json.bytes(reply);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reports of one instance as a list of lines, for failure messages. */
    String describe(String instanceId) {
        List<String> lines = new ArrayList<>();
        for (InstanceStatusReport r : history(instanceId)) {
            lines.add(r.state() + " restarts=" + r.restarts() + " violations=" + r.resourceViolations() + " " + r.message());
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
