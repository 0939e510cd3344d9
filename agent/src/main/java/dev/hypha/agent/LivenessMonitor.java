package dev.hypha.agent;

import dev.hypha.model.LivenessSpec;
import dev.hypha.runtime.probe.LivenessCheck;
import dev.hypha.runtime.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The agent's liveness bookkeeping: which running containers are due for their check, the checks
 * in flight, and how many failed in a row.
 *
 * <p>The agent loop calls {@link #observe} once per pass for every running instance that has a
 * check. A due check is handed to the executor (virtual threads in production), so a slow check
 * never holds up the loop; its result is collected on a later pass. Checks therefore run at the
 * loop's pace: a period shorter than one pass is stretched to a pass. After
 * {@code failure_threshold} failures in a row the verdict is {@link Verdict.Failed}, and the loop
 * kills the container through its normal restart path. Every new run of a container (a restart,
 * or a changed check) starts over: initial delay, no failures.
 *
 * <p>Called serially by the agent loop only; the probes themselves may run on any thread.
 */
final class LivenessMonitor {
    /**
     * How long past its own timeout a check may stay in flight before it counts as failed: the
     * prober bounds every check, so this only catches a runtime that hangs (runc exec stuck).
     */
    static final Duration STUCK_AFTER = Duration.ofSeconds(30);

    /** Runs one check against one container: {@code LivenessProber::probe} in production. */
    @FunctionalInterface
    interface Probe {
        ProbeResult run(String containerId, LivenessCheck check);
    }

    /** What the loop should do about one running container after this pass. */
    sealed interface Verdict {
        /** Keep it running; {@code note} is worth showing in the instance message (or null). */
        record Passing(String note) implements Verdict {}

        /** Its check failed {@code failure_threshold} times in a row: kill and restart it. */
        record Failed(String reason) implements Verdict {}
    }

    /** One container run under watch. */
    private record Watch(LivenessSpec spec, Instant runStartedAt, Instant nextCheckAt, int consecutiveFailures,
                         String lastFailure, CompletableFuture<ProbeResult> inFlight, Instant inFlightSince) {
        static Watch begin(LivenessSpec spec, Instant runStartedAt) {
            return new Watch(spec, runStartedAt, runStartedAt.plus(spec.initialDelay()), 0, null, null, null);
        }

        boolean sameRun(LivenessSpec s, Instant started) {
            return spec.equals(s) && runStartedAt.equals(started);
        }

        Watch launched(CompletableFuture<ProbeResult> probe, Instant now) {
            return new Watch(spec, runStartedAt, now.plus(spec.period()), consecutiveFailures, lastFailure, probe, now);
        }

        Watch recorded(ProbeResult result) {
            return result.healthy()
                    ? new Watch(spec, runStartedAt, nextCheckAt, 0, null, null, null)
                    : new Watch(spec, runStartedAt, nextCheckAt, consecutiveFailures + 1, result.detail(), null, null);
        }
    }

    private final Probe probe;
    private final Executor executor;
    private final String execUnsupported;
    private final Map<String, Watch> watches = new HashMap<>();

    /**
     * @param probe           runs one check
     * @param executor        where checks run; {@code Runnable::run} in tests makes them synchronous
     * @param execUnsupported why exec checks cannot run on this node's runtime, or null when they can;
     *                        such checks are then reported in the message and never fail the container
     */
    LivenessMonitor(Probe probe, Executor executor, String execUnsupported) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.execUnsupported = execUnsupported;
    }

    /**
     * One pass over one running container: collects a finished check, starts a due one, and says
     * whether the container is still considered alive.
     *
     * @param instanceId   the instance (and container) id
     * @param spec         its liveness check
     * @param runStartedAt when this run of the container started; a new value starts over
     * @param now          the pass's time
     */
    Verdict observe(String instanceId, LivenessSpec spec, Instant runStartedAt, Instant now) {
        if (spec.exec() != null && execUnsupported != null) {
            forget(instanceId);
            return new Verdict.Passing("liveness check " + spec.describe() + " is unsupported here: " + execUnsupported);
        }
        Watch w = watches.get(instanceId);
        if (w == null || !w.sameRun(spec, runStartedAt)) {
            forget(instanceId);
            w = Watch.begin(spec, runStartedAt);
        }

        // 1. Collect the check in flight, if it has finished (or has hung for too long).
        if (w.inFlight() != null) {
            if (w.inFlight().isDone()) {
                w = w.recorded(outcome(w.inFlight()));
            } else if (!now.isBefore(w.inFlightSince().plus(spec.timeout()).plus(STUCK_AFTER))) {
                w.inFlight().cancel(true);
                w = w.recorded(new ProbeResult.Unhealthy("the check was still running "
                        + Duration.between(w.inFlightSince(), now).toSeconds() + "s after it started"));
            }
        }
        // 2. Start the next check when it is due, none is running and the container still counts as alive.
        if (w.inFlight() == null && w.consecutiveFailures() < spec.failureThreshold() && !now.isBefore(w.nextCheckAt())) {
            w = w.launched(launch(instanceId, spec), now);
            if (w.inFlight().isDone()) w = w.recorded(outcome(w.inFlight())); // a synchronous executor
        }
        // 3. Enough failures in a row: the container is dead; its next run is watched afresh.
        if (w.consecutiveFailures() >= spec.failureThreshold()) {
            watches.remove(instanceId);
            return new Verdict.Failed("liveness check failed " + times(w.consecutiveFailures()) + ": " + w.lastFailure());
        }
        watches.put(instanceId, w);
        if (w.consecutiveFailures() == 0) return new Verdict.Passing(null);
        return new Verdict.Passing("liveness check failed " + w.consecutiveFailures() + " of "
                + times(spec.failureThreshold()) + ": " + w.lastFailure());
    }

    private static String times(int n) {
        return n == 1 ? "1 time" : n + " times";
    }

    /** The container is not running (or has no check any more): drop its watch. */
    void forget(String instanceId) {
        Watch w = watches.remove(instanceId);
        if (w != null && w.inFlight() != null) w.inFlight().cancel(true);
    }

    /** Drops the watches of every instance not in {@code ids}. */
    void retainOnly(Set<String> ids) {
        for (String id : Set.copyOf(watches.keySet())) {
            if (!ids.contains(id)) forget(id);
        }
    }

    /** How many containers are under watch (for tests). */
    int watched() {
        return watches.size();
    }

    private CompletableFuture<ProbeResult> launch(String instanceId, LivenessSpec spec) {
        LivenessCheck check = toCheck(spec);
        try {
            return CompletableFuture.supplyAsync(() -> probe.run(instanceId, check), executor);
        } catch (RuntimeException e) { // a closed executor: the agent is shutting down
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A finished check's result; a check that threw counts as failed, as the kubelet counts probe errors. */
    private static ProbeResult outcome(CompletableFuture<ProbeResult> done) {
        try {
            return done.join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new ProbeResult.Unhealthy("the check could not run: " + cause.getMessage());
        }
    }

    /** The runtime's form of a workload's check. */
    static LivenessCheck toCheck(LivenessSpec spec) {
        if (spec.exec() != null) {
            return new LivenessCheck.Exec(spec.exec(), spec.period(), spec.timeout(), spec.failureThreshold());
        }
        if (spec.http() != null) {
            return new LivenessCheck.Http(spec.http().port(), spec.http().path(), spec.period(), spec.timeout(),
                    spec.failureThreshold());
        }
        return new LivenessCheck.Tcp(spec.tcp().port(), spec.period(), spec.timeout(), spec.failureThreshold());
    }
}
