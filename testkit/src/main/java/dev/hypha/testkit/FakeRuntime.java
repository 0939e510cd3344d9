package dev.hypha.testkit;

import dev.hypha.spi.ContainerRuntime;
import dev.hypha.spi.ContainerSpec;
import dev.hypha.spi.ContainerStats;
import dev.hypha.spi.ContainerStatus;
import dev.hypha.spi.ContainerStatus.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * An in-memory {@link ContainerRuntime}: containers are records, "processes" run until killed or
 * crashed by a test, and failures can be scripted.
 *
 * <p>Used by unit tests of the agent, by simulations, and by {@code --runtime fake} so the whole
 * control flow can run without root. It records every call. With a failure rate, that fraction of
 * starts fails as a node fault (the container never runs), which is how a flaky machine looks to
 * the economy. Thread-safe.
 */
public final class FakeRuntime implements ContainerRuntime {
    /** One recorded call, e.g. {@code ("start", "web-1a2b")}. */
    public record Call(String verb, String containerId) {}

    private record Container(ContainerSpec spec, Status status, long pid, java.time.Instant createdAt, Integer exitCode,
                             boolean oomKilled) {
        Container with(Status s, Integer exit, boolean oom) {
            return new Container(spec, s, pid, createdAt, exit, oom);
        }
    }

    private static final String STARTED = "[fake] started\n";

    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nextPid = new AtomicLong(10_000);
    private final InstantSource clock;
    private final RandomGenerator random;
    private volatile double failureRate;
    private volatile Duration stopTakes = Duration.ZERO;
    private final AtomicLong scriptedStartFailures = new AtomicLong();
    /** Log directories created (or found) so far. */
    private final java.util.Set<Path> logDirs = ConcurrentHashMap.newKeySet();

    public FakeRuntime(InstantSource clock, double failureRate, long seed) {
        if (failureRate < 0 || failureRate > 1) throw new IllegalArgumentException("failure rate must be in 0..1");
        this.clock = clock;
        this.failureRate = failureRate;
        this.random = java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    public FakeRuntime() {
        this(InstantSource.system(), 0, 1);
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public void create(ContainerSpec spec) {
        log(spec, createContainer(spec));
    }

    /** Records the container; returns its log line. */
    private String createContainer(ContainerSpec spec) {
        calls.add(new Call("create", spec.id()));
        if (containers.containsKey(spec.id())) {
            throw new RuntimeFailure("container " + spec.id() + " already exists", false);
        }
        containers.put(spec.id(), new Container(spec, Status.CREATED, 0, clock.instant(), null, false));
        return "[fake] created " + spec.image() + " " + String.join(" ", spec.command()) + "\n";
    }

    @Override
    public void start(String id) {
        Container c = containers.get(id);
        startContainer(id);
        log(c.spec, STARTED);
    }

    /**
     * Creates and starts the container with one write to its log instead of two: on a node that
     * starts hundreds of fake containers, opening each log twice was most of the runtime's cost.
     */
    @Override
    public void run(ContainerSpec spec) {
        String created = createContainer(spec);
        try {
            startContainer(spec.id());
        } catch (RuntimeFailure e) {
            log(spec, created);
            throw e;
        }
        log(spec, created + STARTED);
    }

    private void startContainer(String id) {
        calls.add(new Call("start", id));
        Container c = containers.get(id);
        if (c == null) throw new RuntimeFailure("no container " + id, false);
        if (scriptedStartFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || failsByChance()) {
            containers.put(id, c.with(Status.STOPPED, 128, false));
            throw new RuntimeFailure("fake runtime: start of " + id + " failed (simulated node fault)", true);
        }
        containers.put(id, new Container(c.spec, Status.RUNNING, nextPid.incrementAndGet(), c.createdAt, null, false));
    }

    private synchronized boolean failsByChance() {
        return failureRate > 0 && random.nextDouble() < failureRate;
    }

    @Override
    public Optional<ContainerStatus> state(String id) {
        Container c = containers.get(id);
        return c == null ? Optional.empty() : Optional.of(status(id, c));
    }

    private static ContainerStatus status(String id, Container c) {
        return new ContainerStatus(id, c.status, c.status == Status.RUNNING ? c.pid : 0, c.createdAt, c.exitCode,
                c.oomKilled);
    }

    @Override
    public Optional<ContainerStats> stats(String id) {
        Container c = containers.get(id);
        if (c == null || c.status != Status.RUNNING) return Optional.empty();
        long seconds = Math.max(0, Duration.between(c.createdAt, clock.instant()).toSeconds());
        long cpuNanos = seconds * c.spec.resources().cpuMillicores() * 1_000_000L / 4; // a quarter of its request
        long memBytes = c.spec.resources().memoryMb() * 1024 * 1024 / 2;
        return Optional.of(new ContainerStats(clock.instant(), cpuNanos, memBytes,
                c.spec.resources().memoryMb() * 1024 * 1024, 1, 0));
    }

    @Override
    public void kill(String id, Duration grace) {
        calls.add(new Call("kill", id));
        Duration takes = stopTakes;
        if (!takes.isZero()) {
            try {
                Thread.sleep(takes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        containers.computeIfPresent(id, (k, c) -> c.status == Status.STOPPED ? c : c.with(Status.STOPPED, 143, false));
    }

    @Override
    public void delete(String id) {
        calls.add(new Call("delete", id));
        containers.remove(id);
    }

    @Override
    public List<ContainerStatus> list() {
        // In no particular order, as the contract allows: the agent lists every pass, and sorting
        // hundreds of containers each time was a tenth of its work.
        List<ContainerStatus> out = new ArrayList<>(containers.size());
        containers.forEach((id, c) -> out.add(status(id, c)));
        return out;
    }

    // --- scripting, for tests ---

    /** From now on a kill takes {@code d} of real time before the container has stopped (a process shutting down). */
    public void stopTakes(Duration d) {
        stopTakes = d;
    }

    /** Makes the container's process exit by itself with {@code exitCode} (a crash when non-zero). */
    public void exit(String id, int exitCode, boolean oomKilled) {
        containers.computeIfPresent(id, (k, c) -> c.with(Status.STOPPED, exitCode, oomKilled));
    }

    /** The next {@code n} starts fail as node faults. */
    public void failNextStarts(long n) {
        scriptedStartFailures.set(n);
    }

    public void setFailureRate(double rate) {
        this.failureRate = rate;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<String> runningIds() {
        return containers.entrySet().stream().filter(e -> e.getValue().status == Status.RUNNING)
                .map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
    }

    /** Appends {@code lines} (each ending in a newline) to the container's log, when it has one. */
    private void log(ContainerSpec spec, String lines) {
        if (spec.logPath() == null) return;
        try {
            Path p = Path.of(spec.logPath());
            // Checking the directory costs a system call or two per container; once per directory is enough.
            if (p.getParent() != null && logDirs.add(p.getParent())) Files.createDirectories(p.getParent());
            Files.writeString(p, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Logs of a fake container are a convenience; an unwritable path must not fail the container.
        }
    }
}
