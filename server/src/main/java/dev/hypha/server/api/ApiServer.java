package dev.hypha.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.server.ChangeNotifier;
import dev.hypha.server.ClusterSecrets;
import dev.hypha.server.InstanceIndex;
import dev.hypha.spi.KvStore;
import dev.hypha.store.PlacementRecord;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of INTERFACES.md on Javalin: JSON with snake_case fields, bearer tokens,
 * application/problem+json errors with a {@code detail} a person understands, and a request size
 * limit. Handlers validate everything before they write, so a rejected request changes nothing.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Bodies larger than this are refused with 413: no spec or status report comes close. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    static final String PROBLEM_JSON = "application/problem+json";
    /** Marks a response that already carries a problem, so the 404 fallback does not replace it. */
    private static final String PROBLEM_WRITTEN = "hypha.problem";

    private final StateStore store;
    private final ClusterSecrets secrets;
    private final ChangeNotifier notifier;
    private final InstanceIndex index;
    /** When this server last refreshed each node's liveness lease, by its clock in millis. */
    private final Map<String, Long> livenessRefreshedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Supplier<String> role;
    private final Supplier<List<String>> gossipSeeds;
    private final Duration livenessTtl;
    private final EconomyHooks economy;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Javalin app;

    public ApiServer(StateStore store, ClusterSecrets secrets, ChangeNotifier notifier, InstanceIndex index,
                     InstantSource clock, Supplier<String> role, Duration livenessTtl,
                     Supplier<List<String>> gossipSeeds, List<RouteModule> modules) {
        this(store, secrets, notifier, index, clock, role, livenessTtl, gossipSeeds, modules, EconomyHooks.NONE);
    }

    /**
     * @param index    the instances by node, which the agent endpoints answer from
     * @param economy  reputations for node views, the credit check on new work, agents' start outcomes
     */
    public ApiServer(StateStore store, ClusterSecrets secrets, ChangeNotifier notifier, InstanceIndex index,
                     InstantSource clock, Supplier<String> role, Duration livenessTtl,
                     Supplier<List<String>> gossipSeeds, List<RouteModule> modules, EconomyHooks economy) {
        this.gossipSeeds = gossipSeeds;
        this.economy = economy;
        this.store = store;
        this.secrets = secrets;
        this.notifier = notifier;
        this.index = index;
        this.clock = clock;
        this.role = role;
        this.livenessTtl = livenessTtl;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.http.defaultContentType = "application/json";
            cfg.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
            cfg.routes.exception(InvalidSpecException.class, (e, ctx) -> problem(ctx, ApiException.badRequest(e.getMessage())));
            cfg.routes.exception(KvStore.StoreUnavailableException.class, (e, ctx) -> problem(ctx,
                    new ApiException(503, "Service Unavailable", "the state store is unavailable: " + e.getMessage())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("request {} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, new ApiException(500, "Internal Server Error",
                        "the server failed to handle this request: " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            });
            cfg.routes.error(404, "*", ctx -> {
                if (ctx.attribute(PROBLEM_WRITTEN) == null) {
                    problem(ctx, ApiException.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
            cfg.routes.error(405, "*", ctx -> problem(ctx,
                    new ApiException(405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path())));
            cfg.routes.before("/api/*", this::authenticate);

            cfg.routes.get("/healthz", ctx -> json(ctx, Map.of("status", "ok", "role", role.get())));

            cfg.routes.post("/api/v1/workloads", this::createWorkload);
            cfg.routes.get("/api/v1/workloads", ctx -> json(ctx, store.workloads().values()));
            cfg.routes.get("/api/v1/workloads/{name}", ctx -> json(ctx, workload(ctx.pathParam("name")).value()));
            cfg.routes.put("/api/v1/workloads/{name}", this::updateWorkload);
            cfg.routes.delete("/api/v1/workloads/{name}", this::deleteWorkload);
            cfg.routes.get("/api/v1/workloads/{name}/instances", ctx -> {
                String name = ctx.pathParam("name");
                workload(name);
                json(ctx, instances(name, null));
            });
            cfg.routes.get("/api/v1/workloads/{name}/explain", this::explain);
            cfg.routes.get("/api/v1/instances", ctx -> json(ctx, instances(ctx.queryParam("workload"), ctx.queryParam("node"))));
            cfg.routes.get("/api/v1/instances/{id}", ctx -> json(ctx, instance(ctx.pathParam("id"))));
            cfg.routes.get("/api/v1/instances/{id}/logs", this::logs);

            cfg.routes.get("/api/v1/images", this::listImages);
            cfg.routes.post("/api/v1/images", this::importImage);
            cfg.routes.get("/api/v1/nodes", ctx -> {
                Map<String, Resources> allocated = allocations();
                json(ctx, store.nodes().values().stream().map(n -> nodeView(n, allocated)).toList());
            });
            cfg.routes.get("/api/v1/nodes/{id}", ctx -> json(ctx, nodeView(node(ctx.pathParam("id")), allocations())));

            cfg.routes.post("/api/v1/agents/register", this::register);
            cfg.routes.get("/api/v1/agents/{id}/assignments", this::assignments);
            cfg.routes.put("/api/v1/agents/{id}/status", this::status);
            // Report and wait in one exchange: the status PUT and the delta assignments GET together.
            cfg.routes.post("/api/v1/agents/{id}/sync", this::sync);
            for (RouteModule m : modules) m.register(cfg.routes);
        });
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    // ---- authentication ----

    private void authenticate(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw ApiException.tooLarge("request body of " + declared + " bytes is larger than the limit of "
                    + MAX_BODY_BYTES + " bytes");
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw ApiException.unauthorized("missing bearer token: send 'Authorization: Bearer TOKEN'"
                    + " (the admin token is in DATA/admin.token)");
        }
        String token = header.substring("Bearer ".length()).trim();
        boolean admin = ClusterSecrets.matches(secrets.adminToken(), token);
        boolean agentPath = ctx.path().startsWith("/api/v1/agents/");
        if (admin) return;
        if (agentPath && ClusterSecrets.matches(secrets.joinToken(), token)) return;
        if (ClusterSecrets.matches(secrets.joinToken(), token)) {
            throw ApiException.forbidden("the join token only grants the agent endpoints; use the admin token");
        }
        throw ApiException.unauthorized("the token was not accepted");
    }

    // ---- workloads ----

    public static byte[] body(Context ctx) {
        byte[] b = ctx.bodyAsBytes();
        if (b.length > MAX_BODY_BYTES) {
            throw ApiException.tooLarge("request body is larger than the limit of " + MAX_BODY_BYTES + " bytes");
        }
        return b;
    }

    private void createWorkload(Context ctx) {
        WorkloadSpec spec = Bodies.parse(body(ctx), WorkloadSpec.class);
        if (store.workloads().get(spec.name()).isPresent()) {
            throw ApiException.conflict("workload '" + spec.name() + "' already exists; use PUT to change it");
        }
        economy.admitWorkload(spec, null);
        Workload w = Workload.create(spec, clock.instant(), null);
        byte[] stored = store.workloads().createEncoded(spec.name(), w).orElseThrow(() ->
                ApiException.conflict("workload '" + spec.name() + "' already exists; use PUT to change it"));
        ctx.status(201);
        // What was just stored, as created, in the JSON that was stored: no need to read or encode it again.
        ctx.contentType("application/json").result(stored);
    }

    private void updateWorkload(Context ctx) {
        String name = ctx.pathParam("name");
        WorkloadSpec spec = Bodies.parse(body(ctx), WorkloadSpec.class);
        if (!spec.name().equals(name)) {
            throw ApiException.badRequest("the body's name '" + spec.name() + "' does not match the path's '" + name + "'");
        }
        economy.admitWorkload(spec, workload(name).value());
        var updated = store.workloads().modify(name, w -> w.update(spec));
        if (updated.isEmpty()) throw ApiException.notFound("workload '" + name + "' does not exist");
        json(ctx, updated.get());
    }

    private void deleteWorkload(Context ctx) {
        String name = ctx.pathParam("name");
        Versioned<Workload> w = workload(name);
        if (!store.workloads().delete(name, w.modRevision())) {
            throw ApiException.conflict("workload '" + name + "' changed while deleting it; try again");
        }
        ctx.status(200);
        json(ctx, Map.of("deleted", name));
    }

    private Versioned<Workload> workload(String name) {
        return store.workloads().get(name)
                .orElseThrow(() -> ApiException.notFound("workload '" + name + "' does not exist"));
    }

    private List<Instance> instances(String workload, String node) {
        return store.instances().values().stream()
                .filter(i -> workload == null || i.workload().equals(workload))
                .filter(i -> node == null || node.equals(i.nodeId()))
                .sorted(Comparator.comparing(Instance::workload).thenComparing(Instance::id))
                .toList();
    }

    private Instance instance(String id) {
        return store.instances().value(id)
                .orElseThrow(() -> ApiException.notFound("instance '" + id + "' does not exist"));
    }

    private void explain(Context ctx) {
        String name = ctx.pathParam("name");
        workload(name);
        List<PlacementRecord> records = new ArrayList<>();
        for (KvStore.KeyValue kv : store.kv().range(store.decisions().key(name + "/"))) {
            records.add(store.decisions().decodeValue(kv.value()));
        }
        records.sort(Comparator.comparing(PlacementRecord::at).reversed());
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (PlacementRecord r : records) {
            var d = new java.util.LinkedHashMap<String, Object>();
            d.put("instance_id", r.instanceId());
            d.put("at", r.at());
            d.put("outcome", r.outcome());
            d.put("node_id", r.nodeId());
            d.put("profile", r.decision().profile());
            d.put("nodes_total", r.decision().nodesTotal());
            d.put("nodes_evaluated", r.decision().nodesEvaluated());
            d.put("top_candidates", r.decision().topCandidates());
            d.put("rejection_counts", r.decision().rejectionCounts());
            d.put("rejections", r.decision().rejections());
            decisions.add(d);
        }
        json(ctx, Map.of("workload", name, "decisions", decisions));
    }

    private void logs(Context ctx) throws Exception {
        Instance inst = instance(ctx.pathParam("id"));
        if (inst.nodeId() == null) throw ApiException.unprocessable("instance '" + inst.id() + "' has no node yet");
        Node node = node(inst.nodeId());
        if (node.agentUrl() == null) {
            throw ApiException.unprocessable("node '" + node.id() + "' does not serve logs");
        }
        boolean follow = "true".equals(ctx.queryParam("follow"));
        URI uri = URI.create(node.agentUrl() + "/logs/" + inst.id() + (follow ? "?follow=true" : ""));
        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + secrets.joinToken()).GET().build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            throw new ApiException(502, "Bad Gateway", "cannot reach the agent of node '" + node.id() + "' at "
                    + node.agentUrl() + ": " + e.getMessage());
        }
        if (res.statusCode() == 404) {
            res.body().close();
            throw ApiException.notFound("node '" + node.id() + "' has no logs for instance '" + inst.id() + "' yet");
        }
        ctx.contentType("text/plain; charset=utf-8");
        try (InputStream in = res.body(); var out = ctx.outputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    // ---- images (kept by each node's agent; the server asks the alive nodes) ----

    /** {@code POST /api/v1/images}: {@code source} is a path on the node(s), or a registry reference. */
    public record ImageImport(String source, String name, String nodeId) {
        public ImageImport {
            dev.hypha.model.Validation.nonBlank("source", source);
            dev.hypha.model.Validation.name("name", name);
        }
    }

    private List<Node> aliveAgents(String nodeId) {
        return store.nodes().values().stream()
                .filter(n -> n.state() == NodeState.ALIVE && n.agentUrl() != null)
                .filter(n -> nodeId == null || n.id().equals(nodeId)).toList();
    }

    private List<Node> imageNodes(String nodeId) {
        List<Node> nodes = aliveAgents(nodeId);
        if (nodes.isEmpty()) {
            throw ApiException.unprocessable(nodeId == null ? "no alive node can take images" : "node '" + nodeId
                    + "' is not alive or does not exist");
        }
        return nodes;
    }

    private HttpResponse<String> toAgent(Node n, String method, String path, String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(n.agentUrl() + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + secrets.joinToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new ApiException(502, "Bad Gateway", "cannot reach the agent of node '" + n.id() + "' at "
                    + n.agentUrl() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "Service Unavailable", "interrupted");
        }
    }

    private static String agentDetail(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body()).path("detail").asText(r.body());
        } catch (java.io.IOException e) {
            return r.body();
        }
    }

    private void listImages(Context ctx) throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        for (Node n : aliveAgents(ctx.queryParam("node"))) {
            HttpResponse<String> r = toAgent(n, "GET", "/images", null);
            if (r.statusCode() != 200) continue; // a node without an image store (fake runtime) has none to list
            for (var img : Json.mapper().readTree(r.body())) {
                ObjectNode o = ((ObjectNode) img).deepCopy();
                o.put("node_id", n.id());
                out.add(o);
            }
        }
        json(ctx, out);
    }

    private void importImage(Context ctx) throws Exception {
        ImageImport req = Bodies.parse(body(ctx), ImageImport.class);
        List<ObjectNode> out = new ArrayList<>();
        for (Node n : imageNodes(req.nodeId())) {
            HttpResponse<String> r = toAgent(n, "POST", "/images", Json.string(java.util.Map.of("source", req.source(),
                    "name", req.name())));
            if (r.statusCode() != 200) {
                throw ApiException.unprocessable("node '" + n.id() + "' could not import the image: " + agentDetail(r));
            }
            ObjectNode o = (ObjectNode) Json.mapper().readTree(r.body());
            o.put("node_id", n.id());
            out.add(o);
        }
        ctx.status(201);
        json(ctx, out);
    }

    // ---- nodes ----

    private Node node(String id) {
        return store.nodes().value(id).orElseThrow(() -> ApiException.notFound("node '" + id + "' does not exist"));
    }

    /** A node as the API shows it: the stored record plus what is allocated on it and its reputation. */
    private ObjectNode nodeView(Node n, Map<String, Resources> allocated) {
        ObjectNode o = Json.mapper().valueToTree(n);
        o.set("allocated", Json.mapper().valueToTree(allocated.getOrDefault(n.id(), Resources.ZERO)));
        o.set("reputation", Json.mapper().valueToTree(economy.reputationOf(n.id())));
        return o;
    }

    /** What the active instances request, per node: one read of the instances for a whole node listing. */
    private Map<String, Resources> allocations() {
        Map<String, Resources> out = new java.util.HashMap<>();
        for (Instance i : store.instances().values()) {
            if (i.nodeId() != null && i.isActive() && i.spec() != null) out.merge(i.nodeId(), i.spec().resources(), Resources::plus);
        }
        return out;
    }

    // ---- agents ----

    private void register(Context ctx) {
        AgentProtocol.Registration r = Bodies.parse(body(ctx), AgentProtocol.Registration.class);
        if (r.capacity() == null) throw ApiException.badRequest("capacity is required");
        var now = clock.instant();
        var existing = store.nodes().get(r.nodeId() == null ? "" : r.nodeId());
        Node node = new Node(r.nodeId(), r.member(), NodeState.ALIVE, r.region(), r.capacity(), r.costPerHour(),
                r.carbonIntensity(), r.power(), r.address(), r.agentUrl(),
                existing.map(v -> v.value().registeredAt()).orElse(now), now);
        // Liveness first: a node record without its liveness key would be marked dead by the next controller pass.
        refreshLiveness(node.id(), true);
        store.nodes().put(node.id(), node);
        ctx.status(200);
        json(ctx, new AgentProtocol.Registered(node.id(), heartbeat().toSeconds(), livenessTtl.toSeconds(),
                secrets.gossipKey(), gossipSeeds.get()));
    }

    private Duration heartbeat() {
        return livenessTtl.dividedBy(4).isZero() ? Duration.ofSeconds(1) : livenessTtl.dividedBy(4);
    }

    /**
     * Keeps the node's lease-bound liveness key alive, creating it (with a new lease) when it has
     * expired. Unless {@code force}d, a lease this server refreshed less than a heartbeat ago is
     * left alone: agents report after every change, and each refresh is a synced write, while the
     * lease only needs one every few seconds (it lasts four heartbeats).
     */
    private void refreshLiveness(String nodeId, boolean force) {
        long now = clock.millis();
        Long last = livenessRefreshedAt.get(nodeId);
        if (!force && last != null && now - last >= 0 && now - last < heartbeat().toMillis()) return;
        String key = dev.hypha.store.StateStore.LIVENESS + nodeId;
        var cur = store.kv().get(key);
        if (cur.isEmpty() || cur.get().lease() == 0 || !store.kv().keepAlive(cur.get().lease())) {
            long lease = store.kv().grantLease(livenessTtl);
            store.kv().put(key, clock.instant().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), lease);
        }
        livenessRefreshedAt.put(nodeId, now);
    }

    /**
     * {@code GET /api/v1/agents/{id}/assignments?after=R&wait_seconds=W[&delta=true]}: the node's
     * instances, answered from the {@link InstanceIndex}. With {@code delta=true} the answer waits
     * (up to W seconds) until an assignment of this node changes after revision R, and holds only
     * those changes; without it, it waits for any change of the state and holds every instance of
     * the node (as agents before change sets expect).
     */
    private void assignments(Context ctx) throws InterruptedException {
        String nodeId = ctx.pathParam("id");
        node(nodeId);
        long after = parseLong(ctx.queryParam("after"), -1, "after");
        Duration wait = waitParam(ctx);
        if (!"true".equals(ctx.queryParam("delta"))) {
            // Assignments are instances: only a change to one of them can change the answer.
            String group = store.instances().prefix();
            if (after >= 0 && !wait.isZero() && notifier.revision(group) <= after) notifier.awaitAfter(group, after, wait);
            // The index follows the same changes a moment later: answer as of the change that woke us.
            index.awaitRevision(notifier.revision(), Duration.ofSeconds(1));
            InstanceIndex.Changes all = index.changes(nodeId, -1);
            json(ctx, new AgentProtocol.Assignments(all.revision(), all.instances()));
            return;
        }
        json(ctx, deltaAssignments(nodeId, after, wait));
    }

    /** {@code wait_seconds}, clamped to 0..60. */
    private static Duration waitParam(Context ctx) {
        return Duration.ofSeconds(Math.max(0, Math.min(60, parseLong(ctx.queryParam("wait_seconds"), 0,
                "wait_seconds"))));
    }

    /**
     * The changes to {@code nodeId}'s assignments after revision {@code after}, waiting up to
     * {@code wait} for one when there are none yet; a whole list when the index cannot tell.
     */
    private AgentProtocol.Assignments deltaAssignments(String nodeId, long after, Duration wait)
            throws InterruptedException {
        if (after > index.revision()) {
            // A revision this index has not reached: another server answered it (this one lags for a
            // moment), or it is from another store altogether, and the answer is then a whole list.
            if (after <= store.kv().revision()) index.awaitRevision(after, wait.isZero() ? Duration.ofSeconds(1) : wait);
        }
        if (after >= 0 && !wait.isZero()) index.awaitChange(nodeId, after, wait);
        InstanceIndex.Changes c = index.changes(nodeId, after);
        return new AgentProtocol.Assignments(c.revision(), c.instances(), c.delta(), c.removed());
    }

    /**
     * {@code POST /api/v1/agents/{id}/sync?after=R&wait_seconds=W}: a status report (the body of
     * {@code PUT …/status}) and then the long-poll of {@code GET …/assignments?after=R&wait_seconds=W&delta=true},
     * answered as that GET answers. Why: an agent reports after every pass and then asks for what
     * changed; one exchange instead of two cuts a third of the agents' requests, and the report
     * still reaches the store before the wait begins. The two old endpoints stay for agents that
     * predate this one.
     */
    private void sync(Context ctx) throws InterruptedException {
        String nodeId = ctx.pathParam("id");
        node(nodeId);
        long after = parseLong(ctx.queryParam("after"), -1, "after");
        Duration wait = waitParam(ctx);
        acceptStatus(nodeId, Bodies.parse(body(ctx), AgentProtocol.StatusReport.class));
        json(ctx, deltaAssignments(nodeId, after, wait));
    }

    private static long parseLong(String v, long dflt, String name) {
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }

    private void status(Context ctx) {
        String nodeId = ctx.pathParam("id");
        node(nodeId);
        AgentProtocol.StatusReport report = Bodies.parse(body(ctx), AgentProtocol.StatusReport.class);
        acceptStatus(nodeId, report);
        json(ctx, new AgentProtocol.Accepted(report.instances().size()));
    }

    /** Stores what the agent observed, hands its start outcomes to the economy, and keeps its node alive. */
    private void acceptStatus(String nodeId, AgentProtocol.StatusReport report) {
        recordObserved(nodeId, report.instances());
        economy.startsReported(nodeId, report.starts());
        refreshLiveness(nodeId, false);
    }

    /**
     * Writes what an agent observed of its instances: every changed instance in one transaction,
     * each on condition that it is unchanged since it was read. Every write is synced, so one
     * transaction per instance made a report of n instances cost n syncs. Instances are read from
     * the index first; when the index was behind the store, the condition fails and the batch is
     * read again from the store; when something changed meanwhile even so (the controller stopped
     * an instance), each is written on its own as before.
     */
    private void recordObserved(String nodeId, List<InstanceStatusReport> reports) {
        Map<String, InstanceStatusReport> byId = new java.util.LinkedHashMap<>();
        for (InstanceStatusReport r : reports) byId.putIfAbsent(r.id(), r);
        if (commitObserved(nodeId, byId.values(), id -> index.get(id).or(() -> store.instances().get(id)), true)) return;
        if (commitObserved(nodeId, byId.values(), id -> store.instances().get(id), false)) return;
        for (InstanceStatusReport r : byId.values()) {
            store.instances().modify(r.id(), i -> nodeId.equals(i.nodeId()) ? i.withObserved(r) : null);
        }
    }

    /**
     * Writes the reports that change their instance, as read by {@code read}, in one transaction;
     * false if it lost a race. With {@code confirmSkips}, a report left out because the instance
     * as read needs no change (or is another node's) is left out only on condition that the
     * instance is still as read: what was read may be behind the store.
     */
    private boolean commitObserved(String nodeId, java.util.Collection<InstanceStatusReport> reports,
                                   java.util.function.Function<String, java.util.Optional<Versioned<Instance>>> read,
                                   boolean confirmSkips) {
        List<KvStore.Compare> compares = new ArrayList<>();
        List<KvStore.Op> ops = new ArrayList<>();
        for (InstanceStatusReport r : reports) {
            var current = read.apply(r.id());
            if (current.isEmpty()) continue;
            KvStore.Compare asRead = store.instances().unchangedSince(r.id(), current.get().modRevision());
            Instance observed = current.get().value().withObserved(r);
            if (!nodeId.equals(current.get().value().nodeId()) || observed.equals(current.get().value())) {
                if (confirmSkips) compares.add(asRead);
                continue;
            }
            compares.add(asRead);
            ops.add(store.instances().putOp(r.id(), observed));
        }
        return compares.isEmpty() || store.commit(compares, ops);
    }

    // ---- responses ----

    public static void json(Context ctx, Object value) {
        ctx.contentType("application/json").result(Json.bytes(value));
    }

    static void problem(Context ctx, ApiException e) {
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
        ctx.status(e.status()).contentType(PROBLEM_JSON).result(Json.bytes(Problem.of(e)));
    }
}
