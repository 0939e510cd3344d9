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
 * The servers' agent-facing API as one agent needs it, on a loopback port: registration,
 * assignments (a fixed list, or answers a test scripts), and status reports kept in order. The
 * server module depends on the agent module, so the agent's own tests talk to this instead.
 *
 * <p>Every accepted status report runs {@code afterReport}: a test hands it a clock to advance,
 * so each pass of the agent is one step of fake time. It serves the combined report-and-wait
 * ({@code POST …/sync}) unless made without it, as servers before that endpoint were.
 */
final class FakeControlPlane implements AutoCloseable {
    /** Answers one assignments request. */
    @FunctionalInterface
    interface Answers {
        /**
         * @param after       the revision the agent asked from
         * @param deltaAsked  whether the agent asked for a change set
         */
        AgentProtocol.Assignments answer(long after, boolean deltaAsked);
    }

    /**
     * One assignments request as the agent sent it.
     *
     * @param synced whether it came with a status report, by {@code POST …/sync}
     */
    record Request(long after, boolean deltaAsked, boolean synced) {}

    private final HttpServer server;
    private final Answers answers;
    private final Runnable afterReport;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<AgentProtocol.StatusReport> statusReports = new CopyOnWriteArrayList<>();
    /** Set while the node is forgotten: every report is refused with 404 until the agent registers again. */
    private final java.util.concurrent.atomic.AtomicBoolean forgotten = new java.util.concurrent.atomic.AtomicBoolean();
    private final boolean sync;
    private final java.util.concurrent.atomic.AtomicInteger separateStatusReports = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refusedSyncs = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, List<InstanceStatusReport>> history = new ConcurrentHashMap<>();
    private final AtomicLong reports = new AtomicLong();

    /** A control plane that answers every request with all of {@code assigned}, as a server before change sets does. */
    FakeControlPlane(List<Instance> assigned, Runnable afterReport) throws IOException {
        this(fixed(assigned), afterReport);
    }

    FakeControlPlane(Answers answers, Runnable afterReport) throws IOException {
        this(answers, afterReport, true);
    }

    /** @param sync whether it serves {@code POST …/sync}; without, it answers that request with 404 */
    FakeControlPlane(Answers answers, Runnable afterReport, boolean sync) throws IOException {
        this.sync = sync;
        this.answers = answers;
        this.afterReport = afterReport;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/agents/", this::handle);
        server.start();
    }

    private static Answers fixed(List<Instance> assigned) {
        List<Instance> all = List.copyOf(assigned);
        AtomicLong revision = new AtomicLong(1);
        return (after, deltaAsked) -> new AgentProtocol.Assignments(revision.incrementAndGet(), all);
    }

    /** Status reports are refused with 404 until the agent registers again, as a server on a new store answers. */
    void forgetTheNode() {
        forgotten.set(true);
    }

    /** Status reports that came by {@code PUT …/status}, not with a sync. */
    int separateStatusReports() {
        return separateStatusReports.get();
    }

    /** Sync requests answered with 404 because this control plane is made without them. */
    int refusedSyncs() {
        return refusedSyncs.get();
    }

    /** Every assignments request, oldest first. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every accepted status report, oldest first. */
    List<AgentProtocol.StatusReport> statusReports() {
        return List.copyOf(statusReports);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Status reports received: one per pass of the agent, whatever they hold (an agent reports
     * an instance only when what it observed changed, and all of them now and then).
     */
    long reports() {
        return reports.get();
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
                forgotten.set(false);
                reply = new AgentProtocol.Registered("n1", 5, 15, "", List.of());
            } else if (path.endsWith("/assignments")) {
                reply = assignments(ex, false);
            } else if (path.endsWith("/status")) {
                if (!accept(ex)) return;
                separateStatusReports.incrementAndGet();
                reply = new AgentProtocol.Accepted(statusReports.getLast().instances().size());
            } else if (path.endsWith("/sync") && sync) {
                if (!accept(ex)) return;
                reply = assignments(ex, true);
            } else {
                if (path.endsWith("/sync")) refusedSyncs.incrementAndGet();
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Json.bytes(reply);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** Answers an assignments request, after a short long-poll so the agent's loop does not spin. */
    private AgentProtocol.Assignments assignments(HttpExchange ex, boolean synced) {
        pause();
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        Request request = new Request(Long.parseLong(query.getOrDefault("after", "-1")),
                synced || "true".equals(query.get("delta")), synced);
        requests.add(request);
        return answers.answer(request.after(), request.deltaAsked());
    }

    /** Takes the request's status report; false (and a 404 sent) while the node is forgotten. */
    private boolean accept(HttpExchange ex) throws IOException {
        var report = Json.mapper().readValue(ex.getRequestBody(), AgentProtocol.StatusReport.class);
        if (forgotten.get()) {
            byte[] body = "{\"detail\":\"node 'n1' does not exist\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(404, body.length);
            ex.getResponseBody().write(body);
            return false;
        }
        statusReports.add(report);
        for (InstanceStatusReport r : report.instances()) {
            history.computeIfAbsent(r.id(), k -> new CopyOnWriteArrayList<>()).add(r);
        }
        reports.incrementAndGet();
        afterReport.run();
        return true;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
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
