package dev.hypha.agent;

import dev.hypha.core.health.EnergyModel;
import dev.hypha.core.membership.SwimConfig;
import dev.hypha.gossip.GossipAddresses;
import dev.hypha.gossip.Keyring;
import dev.hypha.gossip.SwimMembership;
import dev.hypha.core.health.RestartBackoff;
import dev.hypha.core.health.HealthSampler;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.LivenessSpec;
import dev.hypha.model.Resources;
import dev.hypha.runtime.OciCliRuntime;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.runtime.probe.ContainerExec;
import dev.hypha.runtime.probe.LivenessProber;
import dev.hypha.spi.ContainerRuntime;
import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import dev.hypha.spi.ContainerSpec;
import dev.hypha.spi.ContainerStats;
import dev.hypha.spi.ContainerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node agent. One loop does everything, serially: fetch assignments (long-poll), bring
 * the runtime's containers in line with them, check liveness, sample health, report status.
 * Serial keeps it simple and safe: two passes never race on one container. Liveness checks are
 * the one thing that runs beside the loop, on virtual threads, so a slow check cannot stall it;
 * the loop collects their results and does the killing and restarting itself.
 *
 * <p>Both directions carry changes, not everything: the agent asks for the assignments changed
 * since the revision of its last answer (a server that cannot tell answers with all of them), and
 * reports only the instances whose observed state differs from what the server last accepted.
 * Every {@link #FULL_REPORT_PERIOD}, after registering, and after the server lost track of the
 * node, it reports every instance again, so a report lost on either side is repaired.
 *
 * <p>A pass woken by a change set handles the instances it names alone; the first pass after each
 * {@link #RELIST_PERIOD} looks at every container (the runtime listed, liveness checked, restarts
 * and health due). A busy node's loop so notices an exit within about a second without walking
 * all its containers for every change set; at rest every pass, one per long-poll, is a full one.
 *
 * <p>A pass's report and the next wait for assignments travel in one request ({@code POST
 * /api/v1/agents/{id}/sync}); servers without it get the status {@code PUT} and the assignments
 * {@code GET} as before.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    static final Duration HEALTH_PERIOD = Duration.ofSeconds(10);
    static final int MAX_UNREPORTED_STARTS = 1_000;
    /** How often every instance is reported, changed or not, and orphaned logs are looked for. */
    static final Duration FULL_REPORT_PERIOD = Duration.ofSeconds(30);
    /**
     * How long a container that failed its liveness check gets between TERM and KILL. Shorter than
     * {@link #STOP_GRACE}: a container that stopped answering rarely shuts down cleanly, and the
     * serial loop that kills it also serves every other container on the node.
     */
    static final Duration LIVENESS_KILL_GRACE = Duration.ofSeconds(2);
    /**
     * How long a pass waits for the stops it began before it reports. Most containers exit on TERM
     * within milliseconds: waiting this long lets the pass report them stopped (and their instance
     * be removed) at once instead of a long-poll later. One that takes longer is reported stopping
     * and finishes beside the loop as before, so a TERM-ignoring container costs one such wait.
     */
    static final Duration FRESH_STOP_WAIT = Duration.ofMillis(250);
    /**
     * How often a pass looks at every container (lists the runtime, checks liveness, restarts and
     * health) at the least. A pass woken by a change set in between handles only the instances in
     * it: while a node is handed work in quick succession, each answer names a few instances, and
     * walking all of a busy node's containers for each was most of the agent's work. Kubernetes'
     * kubelet relists its containers once a second in the same way.
     */
    static final Duration RELIST_PERIOD = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final String nodeId;
    private final ContainerRuntime runtime;
    private final ServerClient client;
    private final InstantSource clock;
    private final Path logDir;
    private final AgentEndpoint endpoint;
    private final Resources capacity;
    private final HealthSampler health;
    private final Map<String, Supervision.Local> local = new HashMap<>();
    private final Map<String, ContainerStats> lastStats = new HashMap<>();
    private final Map<String, ContainerHealthMetrics> metrics = new HashMap<>();
    /** Start attempts not yet accepted by a server (reputation evidence); oldest dropped past the bound. */
    private final List<AgentProtocol.StartOutcome> unreportedStarts = new ArrayList<>();
    /** Containers started (not restarted) in the current pass, for its one log line. */
    private final List<String> startedThisPass = new ArrayList<>();
    private final Map<String, ResourceViolations> violations = new HashMap<>();
    /** Instances the last pass found running undisturbed, with what it reported (see {@link Steady}). */
    private final Map<String, Steady> steady = new HashMap<>();
    private final ExecutorService probeThreads = Executors.newVirtualThreadPerTaskExecutor();
    /** Stops under way, by container id: they run on their own threads so the loop never waits out a grace period. */
    private final Map<String, Future<Integer>> stopping = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService stopThreads = Executors.newVirtualThreadPerTaskExecutor();
    /** The stops the current pass began, by container id (see {@link #FRESH_STOP_WAIT}). */
    private final Map<String, Future<Integer>> stopsBegunThisPass = new HashMap<>();
    private final LivenessProber prober;
    private final LivenessMonitor liveness;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread loop;
    private Instant lastHealth = Instant.EPOCH;
    /** The revision of the last assignments answer: the next request asks for what changed after it. */
    private long revision = -1;
    /** What the servers assigned to this node, by instance id, as of {@link #revision}. */
    private final Map<String, Instance> assigned = new TreeMap<>();
    /** The last report of each instance a server accepted; an equal report is not sent again. */
    private final Map<String, InstanceStatusReport> accepted = new HashMap<>();
    /** Whether an instance may have left the assignments since {@link #accepted} was last trimmed to them. */
    private boolean assignmentsLeft;
    private Instant lastFullReport = Instant.EPOCH;
    private Instant lastFullPass = Instant.EPOCH;
    /** When a server last answered the sync endpoint with "no such endpoint"; null while it is used. */
    private Instant syncRefusedAt;
    private Instant logsSwept = Instant.EPOCH;
    private boolean registered;
    private volatile SwimMembership gossip;

    private Agent(AgentConfig config, ContainerRuntime runtime, ImageStore images, InstantSource clock) throws IOException {
        this.config = config;
        this.nodeId = config.nodeId() != null ? config.nodeId() : NodeIdentity.defaultNodeId();
        this.runtime = runtime;
        this.clock = clock;
        this.client = new ServerClient(config.servers(), config.joinToken());
        this.logDir = config.dataDir().resolve("logs");
        Files.createDirectories(logDir);
        this.capacity = config.capacity() != null ? config.capacity() : detectCapacity(config.dataDir());
        this.health = new HealthSampler(new EnergyModel(config.power()),
                (int) Math.max(1, capacity.cpuMillicores() / 1000));
        this.endpoint = new AgentEndpoint(endpointHost(config), logDir, images, config.joinToken(), running::get);
        this.prober = new LivenessProber(containerExec(runtime));
        this.liveness = new LivenessMonitor(prober::probe, probeThreads, execUnsupported(runtime));
        this.loop = Thread.ofPlatform().name("hypha-agent-" + nodeId).daemon(true).start(this::run);
    }

    /** The endpoint listens where gossip does (the node's address on its network), loopback by default. */
    private static String endpointHost(AgentConfig config) {
        if (config.gossipBind() == null || !config.gossipBind().contains(":")) return "127.0.0.1";
        return config.gossipBind().substring(0, config.gossipBind().lastIndexOf(':'));
    }

    public static Agent start(AgentConfig config) {
        try {
            Files.createDirectories(config.dataDir());
            Runtimes.NodeRuntime nr = Runtimes.create(config);
            return new Agent(config, nr.runtime(), nr.images(), InstantSource.system());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the agent: " + e.getMessage(), e);
        }
    }

    /** For tests: an agent on a runtime the caller made. */
    public static Agent start(AgentConfig config, ContainerRuntime runtime, InstantSource clock) {
        try {
            Files.createDirectories(config.dataDir());
            return new Agent(config, runtime, null, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the agent: " + e.getMessage(), e);
        }
    }

    /** Runs commands in containers for exec checks; only the OCI runtimes can. */
    private static ContainerExec containerExec(ContainerRuntime runtime) {
        if (runtime instanceof OciCliRuntime oci) return oci::exec;
        return (id, command, timeout) -> {
            throw new RuntimeFailure(execUnsupported(runtime), false);
        };
    }

    /** Why exec checks cannot run on this runtime, or null when they can. */
    private static String execUnsupported(ContainerRuntime runtime) {
        if (runtime instanceof OciCliRuntime) return null;
        return "the " + runtime.name() + " runtime cannot run commands inside containers";
    }

    public String nodeId() {
        return nodeId;
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    private void run() {
        Duration retry = Duration.ofMillis(500);
        // What the last pass observed, not yet accepted by a server: it goes out with the next request.
        List<InstanceStatusReport> observed = null;
        while (running.get()) {
            try {
                if (!registered) register();
                long wait = revision < 0 ? 0 : 2;
                Set<String> changed = applyAssignments(exchange(observed, wait));
                observed = pass(changed);
                // Stops that finish promptly are reported as stopped by this pass rather than the next one:
                // a second look at those instances alone, its reports in place of the first ones.
                Set<String> stopped = awaitStopsBegunThisPass();
                if (!stopped.isEmpty()) observed = replacing(observed, reconcileChanged(stopped));
                retry = Duration.ofMillis(500);
            } catch (ServerClient.ServerError e) {
                if (e.status() == 404) forgotten(); // the server forgot us (new store): register again
                log.warn("server refused a request: {}", e.getMessage());
                pause(retry);
                retry = min(retry.multipliedBy(2), Duration.ofSeconds(5));
            } catch (IOException e) {
                if (!running.get()) break;
                log.warn("cannot reach any server ({}); retrying", e.getMessage());
                pause(retry);
                retry = min(retry.multipliedBy(2), Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                if (!running.get()) break;
                log.error("agent pass failed", e);
                pause(Duration.ofSeconds(1));
            }
        }
        stopped.countDown();
    }

    /**
     * Reports what the last pass observed (null before the first pass: nothing) and waits up to
     * {@code waitSeconds} for the assignments that changed since {@link #revision}: one
     * {@code POST …/sync} where the server has it, else the status {@code PUT} and then the
     * assignments {@code GET} of servers before it. A server that answers the sync with 404 or 405
     * (no such endpoint; or it forgot the node, which the older pair then tells) is asked the
     * old way until the next full report, and then offered the sync again.
     */
    private AgentProtocol.Assignments exchange(List<InstanceStatusReport> observed, long waitSeconds) throws IOException {
        Instant now = clock.instant();
        String query = "?after=" + revision + "&wait_seconds=" + waitSeconds;
        Duration timeout = Duration.ofSeconds(waitSeconds + 10);
        // Before the first pass there is nothing to report: a plain request for the assignments.
        if (observed != null && (syncRefusedAt == null || due(syncRefusedAt, now))) {
            PendingReport pending = pendingReport(observed, now);
            try {
                var a = client.send("POST", "/api/v1/agents/" + nodeId + "/sync" + query, pending.body(),
                        AgentProtocol.Assignments.class, timeout);
                syncRefusedAt = null;
                reportAccepted(pending);
                return a;
            } catch (ServerClient.ServerError e) {
                if (e.status() != 404 && e.status() != 405) throw e;
                syncRefusedAt = now;
                log.info("server has no sync endpoint ({}); reporting and asking for assignments separately",
                        e.getMessage());
            }
        }
        if (observed != null) report(observed);
        return client.send("GET", "/api/v1/agents/" + nodeId + "/assignments" + query + "&delta=true", null,
                AgentProtocol.Assignments.class, timeout);
    }

    /**
     * A status report about to be sent: the reports that differ from what a server last accepted
     * (all of them when a full report is due), and the start attempts not yet accepted.
     */
    private record PendingReport(AgentProtocol.StatusReport body, boolean full, Instant at) {}

    private PendingReport pendingReport(List<InstanceStatusReport> reports, Instant now) {
        boolean full = due(lastFullReport, now);
        List<InstanceStatusReport> changed = full ? reports : reports.stream().filter(r -> {
            InstanceStatusReport last = accepted.get(r.id());
            return r != last && !r.equals(last); // a steady instance's report is the very one accepted
        }).toList();
        return new PendingReport(new AgentProtocol.StatusReport(changed, List.copyOf(unreportedStarts)), full, now);
    }

    /** A server accepted {@code sent}: its reports need not be sent again, nor its start attempts. */
    private void reportAccepted(PendingReport sent) {
        unreportedStarts.subList(0, sent.body().starts().size()).clear();
        for (InstanceStatusReport r : sent.body().instances()) accepted.put(r.id(), r);
        if (assignmentsLeft) {
            // Only an instance that left can leave a report behind; walking them all each pass cost as much as a pass.
            accepted.keySet().retainAll(assigned.keySet());
            assignmentsLeft = false;
        }
        if (sent.full()) lastFullReport = sent.at();
    }

    /**
     * Applies an answer: a change set to the assignments held, or a whole list in their place.
     * Returns the ids the change set named (added, changed or removed), or null for a whole list.
     */
    private Set<String> applyAssignments(AgentProtocol.Assignments a) {
        if (!a.delta()) assigned.clear();
        Set<String> changed = a.delta() ? new HashSet<>() : null;
        for (Instance i : a.instances()) {
            assigned.put(i.id(), i);
            if (changed != null) changed.add(i.id());
        }
        for (String id : a.removed()) {
            assigned.remove(id);
            if (changed != null) changed.add(id);
        }
        assignmentsLeft |= !a.delta() || !a.removed().isEmpty();
        revision = a.revision();
        return changed;
    }

    /**
     * One pass: over every instance and container when {@code changed} is null (a whole list), a
     * {@link #RELIST_PERIOD} has passed since the last such pass, or a full report is due; else
     * over the instances {@code changed} names alone. Returns what to report.
     */
    private List<InstanceStatusReport> pass(Set<String> changed) {
        Instant now = clock.instant();
        if (changed == null || due(lastFullPass, now, RELIST_PERIOD) || due(lastFullReport, now)) {
            lastFullPass = now;
            return reconcile(List.copyOf(assigned.values()));
        }
        return reconcileChanged(changed);
    }

    /**
     * Sends the reports that differ from what a server last accepted (all of them when a full
     * report is due), with the start attempts not yet accepted, by the status {@code PUT} of
     * servers without the sync endpoint. The status request also keeps the node's liveness lease,
     * so it goes out on every pass, with nothing in it if nothing changed.
     */
    private void report(List<InstanceStatusReport> reports) throws IOException {
        PendingReport pending = pendingReport(reports, clock.instant());
        client.send("PUT", "/api/v1/agents/" + nodeId + "/status", pending.body(), AgentProtocol.Accepted.class,
                Duration.ofSeconds(10));
        reportAccepted(pending);
    }

    /** Whether a full-report period has passed since {@code last} (or the clock went back past it). */
    private static boolean due(Instant last, Instant now) {
        return due(last, now, FULL_REPORT_PERIOD);
    }

    /** Whether {@code period} has passed since {@code last} (or the clock went back past it). */
    private static boolean due(Instant last, Instant now, Duration period) {
        return now.isBefore(last) || Duration.between(last, now).compareTo(period) >= 0;
    }

    /** The server does not know this node (a new store): register, then fetch and report everything again. */
    private void forgotten() {
        registered = false;
        revision = -1;
        accepted.clear();
        lastFullReport = Instant.EPOCH;
        syncRefusedAt = null; // the server that forgot us may be a new one: offer it the sync again
    }

    private void register() throws IOException {
        var reg = new AgentProtocol.Registration(nodeId, config.member(), config.region(), capacity, config.costPerHour(),
                config.carbonIntensity(), config.power(), gossip == null ? null : gossip.address(), endpoint.url());
        var answer = client.send("POST", "/api/v1/agents/register", reg, AgentProtocol.Registered.class,
                Duration.ofSeconds(10));
        registered = true;
        lastFullReport = Instant.EPOCH; // whatever the server knew of this node, it hears all of it again
        log.info("node {} registered (runtime {}, capacity {})", nodeId, runtime.name(), capacity);
        if (gossip == null) startGossip(answer);
    }

    /** Joins the gossip group with the key and seeds the server handed out (gossip off when it gave none). */
    private void startGossip(AgentProtocol.Registered answer) throws IOException {
        List<String> seeds = new ArrayList<>(answer.gossipSeeds() == null ? List.of() : answer.gossipSeeds());
        seeds.addAll(config.seeds());
        if (seeds.isEmpty()) return;
        String bind = config.gossipBind() != null ? config.gossipBind() : "127.0.0.1:0";
        Map<String, String> meta = Map.of("role", "agent", "member", config.member() == null ? nodeId : config.member(),
                "region", config.region());
        gossip = SwimMembership.start(nodeId, GossipAddresses.parse(bind),
                seeds.stream().map(GossipAddresses::parse).toList(), meta,
                Keyring.of(Keyring.decodeKey(answer.gossipKey())), SwimConfig.lan(), clock);
        log.info("node {} gossips on {} (seeds {})", nodeId, gossip.address(), seeds);
        registered = false; // register once more, now with the gossip address
    }

    /** Brings the containers in line with the assignments; returns what to report. */
    List<InstanceStatusReport> reconcile(List<Instance> assigned) {
        Instant now = clock.instant();
        stopsBegunThisPass.clear();
        Map<String, ContainerStatus> containers = new HashMap<>();
        for (ContainerStatus c : runtime.list()) containers.put(c.id(), c);
        boolean sampleHealth = Duration.between(lastHealth, now).compareTo(HEALTH_PERIOD) >= 0;
        if (sampleHealth) lastHealth = now;

        List<InstanceStatusReport> reports = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (Instance inst : assigned) {
            wanted.add(inst.id());
            reports.add(supervise(inst, containers.get(inst.id()), now, sampleHealth));
        }
        // Containers nothing assigns any more (deleted workloads, instances moved while we were away).
        for (String id : containers.keySet()) {
            if (!wanted.contains(id)) removeUnassigned(id);
        }
        stopping.entrySet().removeIf(e -> e.getValue().isDone() && !wanted.contains(e.getKey()));
        logStarts();
        // Every wanted instance is in local (put above): only a larger local holds instances that went,
        // and only then can the maps beside it; walking them all on every pass cost as much as the pass.
        boolean forgot = local.size() > wanted.size() && local.keySet().retainAll(wanted);
        if (forgot) {
            violations.keySet().retainAll(wanted);
            steady.keySet().retainAll(wanted);
            liveness.retainOnly(wanted);
            metrics.keySet().retainAll(wanted);
            lastStats.keySet().retainAll(wanted);
        }
        // Listing the log directory costs more than the rest of a pass on a busy node: only when an
        // instance went, and now and then for logs left from before a restart.
        if (forgot || due(logsSwept, now)) {
            deleteOrphanLogs(wanted);
            logsSwept = now;
        }
        return reports;
    }

    /**
     * Brings one assigned instance's container in line with it: checks liveness, decides and acts
     * (start, stop, restart, keep), samples health when due; returns what to report of it.
     *
     * @param listed its container as the runtime shows it, or null when it has none
     */
    private InstanceStatusReport supervise(Instance inst, ContainerStatus listed, Instant now, boolean sampleHealth) {
        Steady same = sampleHealth ? null : steady.get(inst.id());
        if (same != null && same.holds(inst, listed, local.get(inst.id()))) return same.report();
        Supervision.Local l = local.computeIfAbsent(inst.id(), k -> Supervision.Local.from(inst));
        ResourceViolations v = violations.computeIfAbsent(inst.id(), k -> ResourceViolations.from(inst));
        ContainerStatus c = listed;
        LivenessPass checked = checkLiveness(inst, c, l, now);
        c = checked.container();
        l = checked.local();
        if (c != null && c.status() == ContainerStatus.Status.STOPPED && c.oomKilled()) {
            // Seen once: every exit is deleted in the same pass that sees it.
            v = v.plus(ResourceViolations.oomKill(inst.spec().resources().memoryMb()));
        }
        Supervision.Step step = Supervision.decide(inst, c, l, now);
        l = act(inst, c, l, now, step);
        local.put(inst.id(), l);
        if (sampleHealth && l.state() == InstanceState.RUNNING) v = sample(inst, v);
        ResourceViolations before = violations.put(inst.id(), v);
        if (before != null && v.count() > before.count()) {
            log.info("{}: resource violation of workload {}: {}", inst.id(), inst.workload(), v.last());
        }
        // Only a step other than keeping touched the runtime: a kept container is as listed (one lookup less per instance).
        ContainerStatus after = step instanceof Supervision.Step.Keep ? c : runtime.state(inst.id()).orElse(null);
        String message = l.message() == null && l.state() == InstanceState.RUNNING ? checked.note() : l.message();
        InstanceStatusReport report = new InstanceStatusReport(inst.id(), l.state(), after == null ? null : inst.id(),
                after != null && after.running() ? after.pid() : null, l.restarts(), l.startedAt(), l.lastExit(),
                message, metrics.get(inst.id()), v.count(), v.last());
        if (Steady.applies(inst, step, c, l)) steady.put(inst.id(), new Steady(inst, c, l, report));
        else steady.remove(inst.id());
        return report;
    }

    /**
     * A pass over the instances a change set named, alone: new and changed ones are supervised
     * (their containers looked up one by one), containers of removed ones stopped. Everything else
     * (exits, liveness, restarts due, health, leftovers) waits for the next pass over all of them.
     */
    List<InstanceStatusReport> reconcileChanged(Set<String> changed) {
        Instant now = clock.instant();
        stopsBegunThisPass.clear();
        List<InstanceStatusReport> reports = new ArrayList<>();
        for (String id : changed) {
            Instance inst = assigned.get(id);
            ContainerStatus c = runtime.state(id).orElse(null);
            if (inst != null) reports.add(supervise(inst, c, now, false));
            else if (c != null) removeUnassigned(id);
        }
        logStarts();
        return reports;
    }

    /**
     * An instance that a pass found running as it should, with nothing to watch but its container:
     * no liveness check, nothing to stop or restart. While its assignment (the same object), its
     * container's listing and the agent's memory of it stay as they were, and no health sample is
     * due, every step of a pass would find the same and report the same, so the next pass reuses
     * the report instead (most instances of a busy node, most of the time; walking each through
     * every step was most of a pass).
     */
    private record Steady(Instance assigned, ContainerStatus container, Supervision.Local local,
                          InstanceStatusReport report) {
        static boolean applies(Instance inst, Supervision.Step step, ContainerStatus c, Supervision.Local l) {
            return step instanceof Supervision.Step.Keep && inst.desired() == DesiredState.RUN
                    && inst.spec().liveness() == null && c != null && c.running() && l.state() == InstanceState.RUNNING;
        }

        boolean holds(Instance inst, ContainerStatus listed, Supervision.Local now) {
            return inst == assigned && now == local && container.equals(listed);
        }
    }

    /**
     * One pass's liveness check of one instance.
     *
     * @param container the container after the check: stopped when the check killed it
     * @param local     the agent's memory after the check: noting why, when it killed the container
     * @param note      something about the check worth showing in the message, or null
     */
    private record LivenessPass(ContainerStatus container, Supervision.Local local, String note) {}

    /**
     * Checks a running instance that has a liveness check; kills its container when the check has
     * failed too often, so the exit takes the normal restart path. Instances not running lose their watch.
     */
    private LivenessPass checkLiveness(Instance inst, ContainerStatus c, Supervision.Local l, Instant now) {
        LivenessSpec check = inst.spec().liveness();
        if (check == null || inst.desired() != DesiredState.RUN || l.state() != InstanceState.RUNNING
                || c == null || !c.running()) {
            liveness.forget(inst.id());
            return new LivenessPass(c, l, null);
        }
        Instant runStarted = l.startedAt() == null ? Instant.EPOCH : l.startedAt();
        return switch (liveness.observe(inst.id(), check, runStarted, now)) {
            case LivenessMonitor.Verdict.Passing p -> new LivenessPass(c, l, p.note());
            case LivenessMonitor.Verdict.Failed f -> {
                log.warn("{}: {}; killing it", inst.id(), f.reason());
                ContainerStatus killed = killNow(c);
                yield killed != null ? new LivenessPass(killed, l.killing(f.reason()), null)
                        : new LivenessPass(c, l, f.reason() + "; the kill failed, so the check starts over");
            }
        };
    }

    private Supervision.Local act(Instance inst, ContainerStatus c, Supervision.Local l, Instant now,
                                  Supervision.Step step) {
        return switch (step) {
            case Supervision.Step.Keep k -> observe(c, l, now);
            case Supervision.Step.Stop s -> {
                // A stop may take the whole grace period (a shell as PID 1 ignores TERM): it runs beside the
                // loop, which keeps serving every other container and reporting in the meantime.
                Future<Integer> stop = stopping.get(inst.id());
                if (stop == null && c != null) stop = stopInBackground(inst.id());
                if (stop != null && !stop.isDone()) {
                    yield new Supervision.Local(l.restarts(), l.crashLoop(), l.startedAt(), null, l.lastExit(), false,
                            InstanceState.STOPPING, "stopping: " + (inst.message() == null ? "requested" : inst.message()),
                            null);
                }
                Integer exit = stop == null ? l.lastExit() : stopResult(inst.id(), stop);
                yield new Supervision.Local(l.restarts(), l.crashLoop(), l.startedAt(), null, exit, false,
                        InstanceState.STOPPED, "stopped: " + (inst.message() == null ? "requested" : inst.message()),
                        null);
            }
            case Supervision.Step.Start s -> start(inst, l, s.isRestart(), now);
            case Supervision.Step.WaitToRestart w -> {
                if (c != null) runtime.delete(inst.id()); // free the exited container; its exit code is kept below
                int exit = c != null && c.exitCode() != null ? c.exitCode() : (l.lastExit() == null ? 0 : l.lastExit());
                boolean oom = c != null ? c.oomKilled() : l.lastOom();
                int crashLoop = l.restartAfter() == null && c != null ? nextCrashLoop(l, now) : l.crashLoop();
                Instant at = l.restartAfter() != null ? l.restartAfter() : w.at();
                yield new Supervision.Local(l.restarts(), crashLoop, l.startedAt(), at, exit, oom, InstanceState.RESTARTING,
                        exitDescription(exit, oom, l.killedBecause()) + "; restarting in "
                                + Math.max(0, Duration.between(now, at).toSeconds()) + "s (back-off)", l.killedBecause());
            }
            case Supervision.Step.Finished f -> {
                int exit = c.exitCode() == null ? 0 : c.exitCode();
                runtime.delete(inst.id());
                yield new Supervision.Local(l.restarts(), l.crashLoop(), l.startedAt(), null, exit, c.oomKilled(),
                        exit == 0 && l.killedBecause() == null ? InstanceState.STOPPED : InstanceState.FAILED,
                        exitDescription(exit, c.oomKilled(), l.killedBecause()), l.killedBecause());
            }
        };
    }

    private static int nextCrashLoop(Supervision.Local l, Instant now) {
        return RestartBackoff.crashesAfterExit(l.crashLoop(), l.startedAt() == null ? now : l.startedAt(), now);
    }

    /** Why the container's last run ended: the agent's reason when it killed it, else the exit itself. */
    private static String exitDescription(int exit, boolean oom, String killedBecause) {
        if (killedBecause != null) return killedBecause;
        if (oom) return "OOM killed: exceeded its memory limit (exit code " + exit + ")";
        return "exited with code " + exit;
    }

    private Supervision.Local observe(ContainerStatus c, Supervision.Local l, Instant now) {
        if (c == null) return l;
        if (c.running() && l.state() != InstanceState.RUNNING) {
            return new Supervision.Local(l.restarts(), l.crashLoop(), l.startedAt() == null ? now : l.startedAt(), null,
                    l.lastExit(), l.lastOom(), InstanceState.RUNNING, null, null);
        }
        return l;
    }

    private Supervision.Local start(Instance inst, Supervision.Local l, boolean isRestart, Instant now) {
        int restarts = isRestart ? l.restarts() + 1 : l.restarts();
        try {
            runtime.state(inst.id()).ifPresent(old -> runtime.delete(inst.id()));
            var spec = inst.spec();
            runtime.run(new ContainerSpec(inst.id(), spec.image(), spec.command(), spec.env(), spec.resources(),
                    AgentEndpoint.logFile(logDir, inst.id()).toString()));
            if (isRestart) log.info("restarted {} ({})", inst.id(), spec.image());
            else startedThisPass.add(inst.id() + " (" + spec.image() + ")");
            reportStart(AgentProtocol.StartOutcome.succeeded(inst.id(), now));
            return new Supervision.Local(restarts, l.crashLoop(), now, null, l.lastExit(), l.lastOom(),
                    InstanceState.RUNNING, null, null);
        } catch (RuntimeFailure e) {
            log.warn("cannot start {}: {}", inst.id(), e.getMessage());
            reportStart(AgentProtocol.StartOutcome.failed(inst.id(), e.nodeFault(), e.getMessage(), now));
            safeDelete(inst.id());
            int crashLoop = l.crashLoop() + 1;
            if (!inst.spec().restartPolicy().restarts(1)) {
                return new Supervision.Local(restarts, crashLoop, l.startedAt(), null, null, false, InstanceState.FAILED,
                        "start failed: " + e.getMessage(), null);
            }
            Instant at = RestartBackoff.restartAt(now, crashLoop);
            return new Supervision.Local(restarts, crashLoop, l.startedAt(), at, null, false, InstanceState.RESTARTING,
                    "start failed: " + e.getMessage() + "; retrying in " + Duration.between(now, at).toSeconds() + "s",
                    null);
        }
    }

    /**
     * Logs the containers this pass started, in one line: a node handed hundreds of instances at
     * once spent more on a log line per container than on starting it.
     */
    private void logStarts() {
        if (startedThisPass.isEmpty()) return;
        if (startedThisPass.size() == 1) log.info("started {}", startedThisPass.getFirst());
        else log.info("started {} containers: {}", startedThisPass.size(), String.join(", ", startedThisPass));
        startedThisPass.clear();
    }

    /** Keeps a start attempt for the next status report; past the bound the oldest goes (a server that long away has moved on). */
    private void reportStart(AgentProtocol.StartOutcome outcome) {
        if (unreportedStarts.size() >= MAX_UNREPORTED_STARTS) unreportedStarts.removeFirst();
        unreportedStarts.add(outcome);
    }

    /** Stops and deletes a container nothing assigns any more, unless its stop is under way. */
    private void removeUnassigned(String id) {
        if (stopping.containsKey(id)) return;
        log.info("removing unassigned container {}", id);
        stopInBackground(id);
    }

    private Future<Integer> stopInBackground(String id) {
        Future<Integer> f = stopThreads.submit(() -> stopAndDelete(id));
        stopping.put(id, f);
        stopsBegunThisPass.put(id, f);
        return f;
    }

    /**
     * Waits up to {@link #FRESH_STOP_WAIT} for the stops the pass began; returns their container
     * ids when all of them finished (a second look then reports them stopped), else none.
     */
    private Set<String> awaitStopsBegunThisPass() {
        if (stopsBegunThisPass.isEmpty()) return Set.of();
        long deadline = System.nanoTime() + FRESH_STOP_WAIT.toNanos();
        for (Future<Integer> f : stopsBegunThisPass.values()) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException stillStopping) {
                return Set.of();
            } catch (java.util.concurrent.ExecutionException failed) {
                // stopResult logs it when the pass collects the stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Set.of();
            }
        }
        return Set.copyOf(stopsBegunThisPass.keySet());
    }

    /** {@code reports} with each instance {@code newer} reports on in its newer version. */
    private static List<InstanceStatusReport> replacing(List<InstanceStatusReport> reports,
                                                        List<InstanceStatusReport> newer) {
        Map<String, InstanceStatusReport> byId = new java.util.LinkedHashMap<>();
        for (InstanceStatusReport r : reports) byId.put(r.id(), r);
        for (InstanceStatusReport r : newer) byId.put(r.id(), r);
        return List.copyOf(byId.values());
    }

    private Integer stopResult(String id, Future<Integer> stop) {
        stopping.remove(id);
        try {
            return stop.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("stopping {} failed: {}", id, e.getCause().toString());
            return null;
        }
    }

    private Integer stopAndDelete(String id) {
        try {
            runtime.kill(id, STOP_GRACE);
            Integer exit = runtime.state(id).map(ContainerStatus::exitCode).orElse(null);
            runtime.delete(id);
            return exit;
        } catch (RuntimeFailure e) {
            log.warn("cannot stop {}: {}", id, e.getMessage());
            return null;
        }
    }

    private void safeDelete(String id) {
        try {
            runtime.delete(id);
        } catch (RuntimeFailure e) {
            log.warn("cannot delete {}: {}", id, e.getMessage());
        }
    }

    /** Samples the container's health, and returns its violations with one more if the sample shows one. */
    private ResourceViolations sample(Instance inst, ResourceViolations v) {
        ContainerStats now = runtime.stats(inst.id()).orElse(null);
        if (now == null) return v;
        ContainerStats prev = lastStats.put(inst.id(), now);
        Supervision.Local l = local.get(inst.id());
        Instant started = l.startedAt() == null ? now.at() : l.startedAt();
        double idleShare = EnergyModel.idleShare(inst.spec().resources().cpuMillicores(), capacity.cpuMillicores());
        metrics.put(inst.id(), health.sample(prev, now, started, idleShare));
        return ResourceViolations.memorySample(now.memoryBytes(), inst.spec().resources().memoryMb())
                .map(v::plus).orElse(v);
    }

    /**
     * Kills a container whose liveness check failed and returns its stopped state, or null when
     * the runtime could not kill it (it is then left as it was).
     */
    private ContainerStatus killNow(ContainerStatus running) {
        String id = running.id();
        try {
            runtime.kill(id, LIVENESS_KILL_GRACE);
            // A container gone with its state still counts as a killed one, so the restart path sees an exit.
            return runtime.state(id).orElse(new ContainerStatus(id, ContainerStatus.Status.STOPPED, 0,
                    running.createdAt(), 137, false));
        } catch (RuntimeFailure e) {
            log.warn("cannot kill {} after its liveness check failed: {}", id, e.getMessage());
            return null;
        }
    }

    private void deleteOrphanLogs(Set<String> wanted) {
        try (var files = Files.list(logDir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                // endsWith and substring, not a regular expression: a busy node has thousands of logs to check.
                if (name.endsWith(".log") && !wanted.contains(name.substring(0, name.length() - ".log".length()))) {
                    p.toFile().delete();
                }
            });
        } catch (IOException e) {
            log.debug("cannot list {}: {}", logDir, e.getMessage());
        }
    }

    static Resources detectCapacity(Path dataDir) {
        long cpu = Runtime.getRuntime().availableProcessors() * 1000L;
        long memMb = 1024;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memMb = os.getTotalMemorySize() / (1024 * 1024);
        }
        long diskMb = dataDir.toFile().getUsableSpace() / (1024 * 1024);
        return new Resources(cpu, memMb, Math.min(diskMb, Resources.MAX_DISK_MB));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Stops the agent's loop. Containers keep running: they outlive the agent, which adopts them on restart. */
    @Override
    public void close() {
        if (!running.getAndSet(false)) return;
        client.close(); // a request under way (the long-poll) does not answer the interrupt
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
        if (gossip != null) gossip.close(); // no leave: a stopped agent's containers keep running (see class comment)
        probeThreads.shutdownNow();
        stopThreads.shutdown(); // a stop under way finishes: half-killed containers help no one
        prober.close();
        stopped.countDown();
    }
}
