package dev.hypha.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.runtime.CommandRunner.CommandNotStarted;
import dev.hypha.runtime.CommandRunner.CommandTimeout;
import dev.hypha.runtime.CommandRunner.Result;
import dev.hypha.runtime.image.Image;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.runtime.image.ImageStoreException;
import dev.hypha.spi.ContainerRuntime;
import dev.hypha.spi.ContainerSpec;
import dev.hypha.spi.ContainerStats;
import dev.hypha.spi.ContainerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ContainerRuntime} over the OCI runtime command line: runc by default, crun or youki by
 * configuration (they share the CLI).
 *
 * <p><b>Layout.</b> The runtime's {@code --root} is {@code DATA/runtime/<name>/state}; each
 * container's bundle is {@code DATA/bundles/<id>}: the rootfs (an overlay of the image store's
 * cached tree, see {@link OverlayRootfs}, or a copy of it), {@code config.json} from
 * {@link OciSpec}, and Hypha's {@link ContainerRecord}. Everything lives on disk, so
 * {@link #list()} in a new process finds and adopts the containers still there.
 *
 * <p><b>stdio.</b> {@code create} hands its stdin, stdout and stderr to the container, so they
 * are /dev/null and the log file given in the spec (appended to, so restarts keep earlier
 * output), never pipes (TOOLCHAIN.md, gotcha 1). Every runtime call has a deadline
 * ({@link OciRuntimeConfig#commandTimeout()}); a call that outlives it is killed and reported.
 *
 * <p><b>Exit codes.</b> OCI runtimes do not record them: the container's init is reaped by
 * whichever process adopts it. So {@code create} runs under a small monitor
 * ({@code monitor.pl}, perl being part of every Debian system): it moves to a process group of
 * its own, makes itself a child subreaper, runs {@code runc create} ({@code runc run --detach} for
 * {@link #run}, which creates and starts at once), and thereby becomes the parent of the
 * container's init; when the init ends it reaps it and writes the status to
 * {@code BUNDLE/exit-status} (128 + signal when killed). This is what containerd-shim and conmon
 * do, without changing what runs inside the container: the workload's process stays PID 1 of its
 * namespace and receives signals unchanged. The monitor outlives agent restarts; if the monitor
 * itself is killed, the exit code of that container is unknown (null). Once this runtime has
 * started a container it keeps one monitor waiting for the next ({@link MonitorLauncher}), so
 * that starts do not wait for perl to start.
 *
 * <p><b>State.</b> {@link #state} and {@link #list} answer from Hypha's {@link ContainerRecord}
 * whenever it can tell (the init's identity and whether Hypha started it), the way runc itself
 * decides, so the agent's every-pass questions cost file reads rather than one runtime run
 * (10-15 ms) each; only containers the record cannot answer for go to the runtime's commands.
 *
 * <p><b>OOM.</b> A stopped container is reported OOM-killed when its memory cgroup's
 * {@code oom_kill} counter ({@code memory.oom_control} on cgroup v1, {@code memory.events} on v2)
 * is non-zero: the kernel killed one of its processes for exceeding the limit. The cgroup
 * survives the process until {@link #delete}, so the counter is read from the directory recorded
 * at create.
 *
 * <p><b>Host check.</b> {@link #open} verifies before anything else that the runtime can create a
 * container here: it creates and deletes a probe container (an empty rootfs, never started) with
 * the same cgroup layout as real ones. crun on a cgroup v1 hybrid host fails that probe in
 * milliseconds, and the failure says why and what to do instead.
 *
 * <p><b>Network.</b> Containers share the host's network namespace for now (see {@link OciSpec});
 * their network byte counters are therefore reported as 0, since the host's interface counters
 * belong to every process on the node. A container with a namespace of its own is counted from
 * {@code /proc/<pid>/net/dev}.
 *
 * <p>Thread-safe: state is on disk; a read/write lock keeps the removal of empty cgroup parents
 * from racing a concurrent create that is about to use them.
 */
public final class OciCliRuntime implements ContainerRuntime {
    static final String PROBE_PREFIX = "hypha-probe-";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String MONITOR_RESOURCE = "monitor.pl";
    private static final Duration POLL = Duration.ofMillis(10);
    /** How long to wait for the monitor to write the exit status once the init is gone. */
    private static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(2);
    private static final List<String> HOST_FILES = List.of("/etc/resolv.conf", "/etc/hosts");

    private final ObjectMapper json = new ObjectMapper();
    private final OciRuntimeConfig config;
    private final ImageStore images;
    private final InstantSource clock;
    private final Path binary;
    private final Path monitorScript;
    private final CommandRunner runner;
    private final OciSpec.Options specOptions;
    private final ReentrantReadWriteLock cgroupParents = new ReentrantReadWriteLock();
    private final MonitorLauncher monitors;
    /** Cleared after the first refused overlay mount, so that later creates go straight to copying. */
    private volatile boolean overlayUsable;

    private OciCliRuntime(OciRuntimeConfig config, ImageStore images, InstantSource clock, Path binary, Path perl,
                          Syscalls syscalls) {
        this.config = config;
        this.images = images;
        this.clock = clock;
        this.binary = binary;
        this.monitorScript = config.runtimeDir().resolve(MONITOR_RESOURCE);
        this.monitors = new MonitorLauncher(perl, monitorScript, syscalls);
        this.runner = new CommandRunner(config.runtimeDir().resolve("tmp"));
        List<String> hostFiles = HOST_FILES.stream().filter(f -> Files.isRegularFile(Path.of(f))).toList();
        this.specOptions = new OciSpec.Options(config.pidsLimit(), hostAccountsSwap(), hostFiles);
        this.overlayUsable = runningAsRoot();
    }

    /** Opens the runtime after checking that it works on this host; see the class comment. */
    public static OciCliRuntime open(OciRuntimeConfig config, ImageStore images) {
        return open(config, images, InstantSource.system());
    }

    /**
     * Opens the runtime, with {@code clock} stamping stats samples.
     *
     * @throws RuntimeFailure (a node fault) when the binary, perl or the host's cgroups do not let
     *                        the runtime create containers; the message says what to change
     */
    public static OciCliRuntime open(OciRuntimeConfig config, ImageStore images, InstantSource clock) {
        Objects.requireNonNull(images, "images");
        Path binary = Executables.find(config.binary()).orElseThrow(() -> new RuntimeFailure(config.name()
                + " was not found (looked for '" + config.binary() + "' on PATH and in the sbin directories):"
                + " install it (e.g. apt-get install " + config.name() + ") or configure the path of its binary", true));
        Path perl = Executables.find(config.perl()).orElseThrow(() -> new RuntimeFailure("perl was not found: Hypha's"
                + " container monitor, which records exit codes, needs it (Debian: perl-base)", true));
        Syscalls syscalls = syscalls(System.getProperty("os.arch"));
        OciCliRuntime runtime = new OciCliRuntime(config, images, clock, binary, perl, syscalls);
        runtime.checkHost();
        return runtime;
    }

    @Override
    public String name() {
        return config.name();
    }

    public OciRuntimeConfig config() {
        return config;
    }

    /** The bundle directory of a container (whether or not it exists). */
    public Path bundle(String containerId) {
        return config.bundlesDir().resolve(validId(containerId));
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public void create(ContainerSpec spec) {
        launchNew(spec, false);
    }

    /**
     * Creates and starts the container with one runtime call ({@code run --detach}) under the
     * monitor: one Go binary run fewer than {@code create} then {@code start}, which is ~10-15 ms
     * of every start. A failure leaves nothing behind.
     */
    @Override
    public void run(ContainerSpec spec) {
        launchNew(spec, true);
    }

    /** Prepares the bundle and creates the container under the monitor, starting it too when {@code start}. */
    private void launchNew(ContainerSpec spec, boolean start) {
        Objects.requireNonNull(spec, "spec");
        String id = validId(spec.id());
        if (spec.logPath() == null || spec.logPath().isBlank()) {
            throw new RuntimeFailure("container " + id + " has no log path", false);
        }
        Path bundle = bundle(id);
        RuntimeFailure failure = null;
        Lock shared = cgroupParents.readLock();
        shared.lock();
        try {
            if (known(id)) throw new RuntimeFailure("container " + id + " already exists; delete it first", false);
            try {
                Prepared prepared = prepareBundle(spec, bundle);
                Path log = Path.of(spec.logPath()).toAbsolutePath();
                Files.createDirectories(log.getParent());
                try {
                    launch(id, bundle, log, start, prepared.overlay());
                } catch (OverlayRefused refused) {
                    // Not root, or an upper directory on a filesystem overlay cannot use: copy from now on.
                    overlayUsable = false;
                    OverlayRootfs.unmount(runner, bundle.resolve("rootfs"), config.commandTimeout());
                    OverlayRootfs.unprepare(bundle);
                    images.copyRootfs(prepared.image(), bundle.resolve("rootfs"));
                    launch(id, bundle, log, start, Optional.empty());
                }
                remember(id, bundle, prepared.image(), log.toString(), start);
            } catch (RuntimeException | IOException e) {
                failure = asFailure(e, "could not create container " + id);
            }
        } finally {
            shared.unlock();
            monitors.replenish(); // for the next container, now that this one no longer waits
        }
        if (failure != null) {
            discard(id, bundle);
            throw failure;
        }
    }

    /**
     * A bundle ready for the monitor: config.json written, the rootfs copied, or to be mounted by
     * the monitor with these overlay options.
     */
    private record Prepared(Image image, Optional<String> overlay) {}

    /**
     * Gives a fresh bundle the image's rootfs (the overlay's directories, for the monitor to
     * mount, else a copy) and writes its config.json. The process's user is looked up in the
     * cached tree, which is what a fresh overlay shows.
     */
    private Prepared prepareBundle(ContainerSpec spec, Path bundle) throws IOException {
        if (Files.exists(bundle, LinkOption.NOFOLLOW_LINKS)) {
            // Leftovers of a container the runtime no longer knows (e.g. after a reboot).
            OverlayRootfs.unmount(runner, bundle.resolve("rootfs"), config.commandTimeout());
            FileTrees.delete(bundle);
        }
        Files.createDirectories(bundle);
        Image image;
        Path cached;
        Optional<String> overlay = Optional.empty();
        try {
            image = images.resolve(spec.image());
            cached = images.cachedRootfs(image);
            if (overlayUsable) overlay = OverlayRootfs.prepare(cached, bundle);
            if (overlay.isEmpty()) images.copyRootfs(image, bundle.resolve("rootfs"));
        } catch (ImageStoreException e) {
            throw new RuntimeFailure(e.getMessage(), false, e);
        }
        ProcessUser user = ProcessUser.resolve(image.config().user(), cached, image.name());
        ObjectNode oci = OciSpec.build(spec, image, user, specOptions);
        Files.write(bundle.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(oci));
        return new Prepared(image, overlay);
    }

    /** The monitor's exit code when the kernel refused the overlay mount (monitor.pl). */
    private static final int OVERLAY_REFUSED = 124;

    /** The monitor could not mount the overlay; nothing ran. */
    private static final class OverlayRefused extends RuntimeException {
        OverlayRefused(String id) {
            super("the overlay rootfs of container " + id + " could not be mounted");
        }
    }

    /**
     * Runs "create", or "run --detach" when {@code start}, under the monitor, stdio to the log;
     * returns when the container exists (and runs). The monitor first mounts the overlay when
     * given its options. The init's pid comes from {@code --pid-file}.
     */
    private void launch(String id, Path bundle, Path log, boolean start, Optional<String> overlay) {
        List<String> verb = start ? List.of("run", "--detach") : List.of("create");
        List<String> args = new ArrayList<>(List.of("--log", bundle.resolve("runtime.log").toString()));
        args.addAll(verb);
        args.addAll(List.of("--bundle", bundle.toString(), "--pid-file", bundle.resolve("init.pid").toString(), id));
        List<String> request = new ArrayList<>(List.of(log.toString(), bundle.toString(), overlay.orElse("-")));
        request.addAll(runtimeArgs(args.toArray(String[]::new)));
        List<String> cmd = new ArrayList<>(monitors.command());
        cmd.addAll(request);
        Process process = monitors.launch(request);
        int code;
        try {
            code = CommandRunner.await(process, cmd, config.commandTimeout());
        } catch (CommandTimeout e) {
            killMonitor(bundle);
            throw new RuntimeFailure(config.name() + " " + String.join(" ", verb) + " " + id + " did not finish within "
                    + Durations.human(config.commandTimeout()) + " and was killed; the runtime may be hung", true, e);
        }
        if (code == OVERLAY_REFUSED && overlay.isPresent() && !OverlayRootfs.isMountPoint(bundle.resolve("rootfs"))) {
            throw new OverlayRefused(id);
        }
        if (code != 0) {
            String why = createError(bundle, log, code);
            throw new CreateFailure(config.name() + " could not create container " + id + ": " + why, why,
                    !workloadFault(why));
        }
    }

    /** A failed {@code create}, keeping the runtime's own words apart for the host check's message. */
    private static final class CreateFailure extends RuntimeFailure {
        final String why;

        CreateFailure(String message, String why, boolean nodeFault) {
            super(message, nodeFault);
            this.why = why;
        }
    }

    /**
     * Records the init's identity and cgroups, which are only readable while it lives. A started
     * container whose init has already exited (a command that ends at once) is no failure: its
     * exit status is the monitor's to record, its record says stopped, and its cgroups are where
     * the runtime nests the relative {@code cgroupsPath}: under this process's own.
     */
    private void remember(String id, Path bundle, Image image, String log, boolean started) throws IOException {
        long pid = Long.parseLong(Files.readString(bundle.resolve("init.pid")).strip());
        Optional<ProcessIdentity> init = ProcessIdentity.of(pid);
        CgroupPaths cgroups = null;
        if (init.isPresent()) {
            try {
                cgroups = CgroupPaths.of(pid);
            } catch (IOException gone) {
                init = Optional.empty(); // it exited between the two reads
            }
        }
        if (init.isEmpty()) {
            if (!started) {
                throw new RuntimeFailure("container " + id + " was created but its init process " + pid
                        + " is already gone", true);
            }
            // A start time no process has marks the init as gone for good.
            init = Optional.of(new ProcessIdentity(pid, -1));
            cgroups = CgroupPaths.of(ProcessHandle.current().pid()).nested(OciSpec.CGROUP_PARENT + "/" + id);
        }
        ContainerRecord.of(id, image.name(), image.digest(), log, init.get(), cgroups, clock.instant(), started)
                .write(bundle);
    }

    @Override
    public void start(String containerId) {
        String id = validId(containerId);
        Result r = runtime("start", id);
        if (!r.ok()) {
            if (notFound(r)) throw new RuntimeFailure("cannot start container " + id + ": it does not exist", false);
            throw new RuntimeFailure(config.name() + " could not start container " + id + ": " + r.message(),
                    !workloadFault(r.message()));
        }
        Path bundle = bundle(id);
        ContainerRecord.read(bundle).ifPresent(rec -> {
            try {
                rec.asStarted().write(bundle);
            } catch (IOException e) {
                // The record keeps saying "not started", so state() asks the runtime instead: slower, still right.
            }
        });
    }

    /**
     * The container's state, from Hypha's record when it can tell (see {@link #recordedStatus}),
     * else from the runtime's {@code state} command.
     */
    @Override
    public Optional<ContainerStatus> state(String containerId) {
        String id = validId(containerId);
        if (!known(id)) return Optional.empty();
        Optional<ContainerStatus> recorded = recordedStatus(id);
        if (recorded.isPresent()) return recorded;
        Result r = runtime("state", id);
        if (!r.ok()) {
            if (notFound(r)) return Optional.empty();
            throw new RuntimeFailure(config.name() + " could not report container " + id + ": " + r.message(), true);
        }
        return Optional.of(status(parse(r.stdout(), "state " + id)));
    }

    /**
     * Every container in the runtime's state root, sorted by id. Each is answered from Hypha's
     * record when it can tell; the runtime's {@code list} command is run only when one cannot be
     * (no record yet, created and not started, or left by someone else), and only once for all of them.
     */
    @Override
    public List<ContainerStatus> list() {
        List<ContainerStatus> out = new ArrayList<>();
        Set<String> unclear = new TreeSet<>();
        try (var dirs = Files.newDirectoryStream(config.stateRoot(), Files::isDirectory)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (id.startsWith(PROBE_PREFIX) || !ID.matcher(id).matches()) continue;
                recordedStatus(id).ifPresentOrElse(out::add, () -> unclear.add(id));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new RuntimeFailure("cannot list the containers in " + config.stateRoot() + ": " + e.getMessage(), true, e);
        }
        if (!unclear.isEmpty()) {
            Result r = runtime("list", "--format", "json");
            if (!r.ok()) throw new RuntimeFailure(config.name() + " could not list containers: " + r.message(), true);
            for (JsonNode c : parse(r.stdout().isBlank() ? "null" : r.stdout(), "list")) {
                if (unclear.contains(c.path("id").asText(""))) out.add(status(c));
            }
        }
        out.sort(Comparator.comparing(ContainerStatus::id));
        return out;
    }

    /**
     * The container's status from its record, without running the runtime binary (a Go program
     * that takes 10-15 ms to answer, and the agent asks about every container on every pass).
     * The runtime itself calls a container stopped when its init's pid is gone, a zombie, or
     * another process (a different start time): the record keeps that pid and start time, read
     * from the same {@code --pid-file}. A live init is running when Hypha started it, paused when
     * its cgroup is frozen. Empty when the record cannot tell: no record (the create is under way,
     * or someone else made the container), or a live init never started by Hypha (created, or
     * started behind its back): then the runtime is asked.
     */
    private Optional<ContainerStatus> recordedStatus(String id) {
        Path bundle = bundle(id);
        Optional<ContainerRecord> read = ContainerRecord.read(bundle);
        if (read.isEmpty()) return Optional.empty();
        ContainerRecord rec = read.get();
        if (rec.init().alive()) {
            if (!rec.started()) return Optional.empty();
            ContainerStatus.Status st = rec.cgroupPaths().frozen() ? ContainerStatus.Status.PAUSED
                    : ContainerStatus.Status.RUNNING;
            return Optional.of(new ContainerStatus(id, st, rec.pid(), rec.createdAt(), null, false));
        }
        Integer exitCode = awaitExitStatus(bundle).orElse(null);
        return Optional.of(new ContainerStatus(id, ContainerStatus.Status.STOPPED, 0, rec.createdAt(), exitCode,
                oomKills(rec) > 0));
    }

    @Override
    public Optional<ContainerStats> stats(String containerId) {
        String id = validId(containerId);
        Optional<ContainerRecord> rec = ContainerRecord.read(bundle(id));
        if (rec.isEmpty()) return Optional.empty();
        try {
            Optional<CgroupCounters> c = CgroupCounters.read(rec.get().cgroupPaths());
            return c.map(counters -> new ContainerStats(clock.instant(), counters.cpuNanos(), counters.memoryBytes(),
                    counters.memoryLimit(), counters.pids(), networkBytes(rec.get().init())));
        } catch (IOException e) {
            throw new RuntimeFailure("cannot read the cgroup counters of container " + id + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public void kill(String containerId, Duration grace) {
        String id = validId(containerId);
        Objects.requireNonNull(grace, "grace");
        Optional<ContainerStatus> status = state(id);
        if (status.isEmpty() || status.get().status() == ContainerStatus.Status.STOPPED) return;
        Optional<ContainerRecord> rec = ContainerRecord.read(bundle(id));
        // A container that never started has nothing to shut down gracefully.
        boolean started = status.get().status() != ContainerStatus.Status.CREATED;
        if (started && !grace.isZero() && !grace.isNegative()) {
            signal(id, "TERM");
            if (awaitStopped(id, rec, grace)) {
                awaitExitStatus(bundle(id));
                return;
            }
        }
        signal(id, "KILL");
        if (!awaitStopped(id, rec, config.commandTimeout())) {
            throw new RuntimeFailure("container " + id + " did not stop within "
                    + Durations.human(config.commandTimeout()) + " of SIGKILL", true);
        }
        awaitExitStatus(bundle(id));
    }

    @Override
    public void delete(String containerId) {
        String id = validId(containerId);
        Path bundle = bundle(id);
        Optional<ContainerRecord> rec = ContainerRecord.read(bundle);
        Result r = runtime("delete", "--force", id);
        if (!r.ok() && !notFound(r)) {
            throw new RuntimeFailure(config.name() + " could not delete container " + id + ": " + r.message(), true);
        }
        awaitMonitorExit(bundle);
        removeCgroups(rec.map(ContainerRecord::cgroupPaths));
        try {
            OverlayRootfs.unmount(runner, bundle.resolve("rootfs"), config.commandTimeout());
            FileTrees.delete(bundle);
        } catch (UncheckedIOException | IllegalStateException | CommandTimeout e) {
            throw new RuntimeFailure("container " + id + " is deleted but its bundle could not be removed: "
                    + e.getMessage(), true, e);
        }
    }

    /**
     * Runs {@code command} inside a running container ({@code runc exec}) and waits up to
     * {@code timeout}; output is captured through files. A command that outlives the deadline is
     * killed (with the process it started in the container) and reported as exit code -1.
     */
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        String id = validId(containerId);
        if (command.isEmpty()) throw new IllegalArgumentException("exec needs a command");
        List<String> cmd = new ArrayList<>(runtimeArgs("exec", id));
        cmd.addAll(command);
        try {
            Result r = runner.run(cmd, timeout);
            return new ExecResult(r.exitCode(), r.stdout(), r.stderr(), false);
        } catch (CommandTimeout e) {
            return new ExecResult(-1, "", e.getMessage(), true);
        } catch (CommandNotStarted e) {
            throw new RuntimeFailure(e.getMessage(), true, e);
        }
    }

    // ---- status ------------------------------------------------------------------------------

    private ContainerStatus status(JsonNode s) {
        String id = s.path("id").asText();
        ContainerStatus.Status st = switch (s.path("status").asText("").toLowerCase(Locale.ROOT)) {
            case "created", "creating" -> ContainerStatus.Status.CREATED;
            case "running" -> ContainerStatus.Status.RUNNING;
            case "paused", "pausing" -> ContainerStatus.Status.PAUSED;
            default -> ContainerStatus.Status.STOPPED;
        };
        long pid = st == ContainerStatus.Status.STOPPED ? 0 : s.path("pid").asLong(0);
        Instant created = parseInstant(s.path("created").asText(null));
        Integer exitCode = null;
        boolean oom = false;
        if (st == ContainerStatus.Status.STOPPED) {
            Path bundle = config.bundlesDir().resolve(id);
            exitCode = awaitExitStatus(bundle).orElse(null);
            oom = ContainerRecord.read(bundle).map(this::oomKills).orElse(0L) > 0;
        }
        return new ContainerStatus(id, st, pid, created, exitCode, oom);
    }

    private long oomKills(ContainerRecord rec) {
        try {
            return CgroupCounters.read(rec.cgroupPaths()).map(CgroupCounters::oomKills).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The recorded exit status; waits briefly while the monitor is still alive and has not written it. */
    private Optional<Integer> awaitExitStatus(Path bundle) {
        Path file = bundle.resolve("exit-status");
        long deadline = System.nanoTime() + EXIT_STATUS_WAIT.toNanos();
        while (true) {
            Optional<Integer> code = readExitStatus(file);
            if (code.isPresent()) return code;
            if (!monitorAlive(bundle) || System.nanoTime() > deadline) return Optional.empty();
            pause();
        }
    }

    private static Optional<Integer> readExitStatus(Path file) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> monitorPid(Path bundle) {
        try {
            return Optional.of(Long.parseLong(Files.readString(bundle.resolve("monitor.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the monitor still runs; a zombie waiting for its reaper (often slow PID 1) does not count. */
    private static boolean monitorAlive(Path bundle) {
        return monitorPid(bundle).flatMap(ProcessIdentity::of).isPresent();
    }

    private void awaitMonitorExit(Path bundle) {
        long deadline = System.nanoTime() + EXIT_STATUS_WAIT.toNanos();
        while (monitorAlive(bundle) && System.nanoTime() < deadline) pause();
    }

    private void killMonitor(Path bundle) {
        monitorPid(bundle).flatMap(ProcessHandle::of).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
    }

    /** Waits until the container's init is gone; false if it still runs at the deadline. */
    private boolean awaitStopped(String id, Optional<ContainerRecord> rec, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean stopped = rec.isPresent()
                    ? !rec.get().init().alive()
                    : state(id).map(s -> s.status() == ContainerStatus.Status.STOPPED).orElse(true);
            if (stopped) return true;
            if (System.nanoTime() > deadline) return false;
            pause();
        }
    }

    private void signal(String id, String signal) {
        Result r = runtime("kill", id, signal);
        if (r.ok() || notFound(r)) return;
        // The container may have stopped between the state check and the signal.
        if (state(id).map(s -> s.status() == ContainerStatus.Status.STOPPED).orElse(true)) return;
        throw new RuntimeFailure(config.name() + " could not send SIG" + signal + " to container " + id + ": "
                + r.message(), true);
    }

    // ---- cgroups, network --------------------------------------------------------------------

    /**
     * Removes the container's cgroup directories if the runtime left them, then the {@code hypha}
     * parents when empty. The parents sit under this process's own cgroups, because the runtime
     * (started by this process) nests the relative cgroupsPath under its caller's cgroup.
     */
    private void removeCgroups(Optional<CgroupPaths> leaves) {
        Lock exclusive = cgroupParents.writeLock();
        exclusive.lock();
        try {
            leaves.ifPresent(paths -> paths.directories().forEach(OciCliRuntime::rmdirQuietly));
            try {
                for (Path own : CgroupPaths.of(ProcessHandle.current().pid()).directories()) {
                    rmdirQuietly(own.resolve(OciSpec.CGROUP_PARENT));
                }
            } catch (IOException ignored) {
                // without /proc there is nothing to clean
            }
        } finally {
            exclusive.unlock();
        }
    }

    /** rmdir: cgroupfs refuses non-empty or busy directories, which is exactly the check wanted. */
    private static void rmdirQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // still in use by another container, or already gone
        }
    }

    /** Bytes received and sent on the container's own interfaces; 0 when it shares the host's namespace. */
    static long networkBytes(ProcessIdentity init) {
        if (!init.alive()) return 0;
        Path proc = Path.of("/proc", Long.toString(init.pid()));
        try {
            Path mine = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            Path theirs = Files.readSymbolicLink(proc.resolve("ns/net"));
            if (mine.equals(theirs)) return 0;
            return netDevBytes(Files.readString(proc.resolve("net/dev")));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Sums receive and transmit bytes of every interface but loopback in a /proc/net/dev text. */
    static long netDevBytes(String netDev) {
        long total = 0;
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String iface = line.substring(0, colon).strip();
            if (iface.equals("lo")) continue;
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length < 9) continue;
            try {
                total += Long.parseLong(f[0]) + Long.parseLong(f[8]);
            } catch (NumberFormatException ignored) {
                // a header line
            }
        }
        return total;
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean hostAccountsSwap() {
        try {
            String self = Files.readString(Path.of("/proc/self/cgroup"));
            CgroupPaths paths = CgroupPaths.parse(self, Files.readString(Path.of("/proc/self/mountinfo")));
            return paths.controller("memory").map(p -> Files.exists(p.resolve("memory.memsw.limit_in_bytes")))
                    .orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    // ---- host check --------------------------------------------------------------------------

    private void checkHost() {
        Result version;
        try {
            version = runner.run(List.of(binary.toString(), "--version"), config.commandTimeout());
        } catch (CommandTimeout | CommandNotStarted e) {
            throw new RuntimeFailure(config.name() + " at " + binary + " does not answer: " + e.getMessage(), true, e);
        }
        if (!version.ok()) {
            throw new RuntimeFailure(config.name() + " at " + binary + " does not work: '--version' exited "
                    + version.exitCode() + ": " + version.message(), true);
        }
        try {
            Files.createDirectories(config.stateRoot());
            Files.createDirectories(config.bundlesDir());
            installMonitor();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot prepare " + config.runtimeDir() + ": " + e.getMessage(), true, e);
        }
        removeStaleProbes();
        probe();
    }

    private void installMonitor() throws IOException {
        byte[] script;
        try (InputStream in = OciCliRuntime.class.getResourceAsStream(MONITOR_RESOURCE)) {
            if (in == null) throw new IOException("the monitor script is missing from the hypha-runtime jar");
            script = in.readAllBytes();
        }
        if (Files.exists(monitorScript) && Arrays.equals(Files.readAllBytes(monitorScript), script)) return;
        Path tmp = monitorScript.resolveSibling(MONITOR_RESOURCE + ".tmp-" + UUID.randomUUID());
        Files.write(tmp, script);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, monitorScript, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Creates and deletes a container that is never started: an empty rootfs holding one empty
     * executable file (runtimes check that the program exists at create). This exercises the
     * runtime binary, the monitor and the host's cgroup and namespace setup the way a real
     * container does, in about 100 ms.
     */
    private void probe() {
        String id = PROBE_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        Path bundle = config.runtimeDir().resolve(id);
        try {
            Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
            Path program = Files.createFile(rootfs.resolve("probe"));
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.write(bundle.resolve("config.json"), json.writeValueAsBytes(probeSpec(id)));
            Path log = bundle.resolve("output.log");
            launch(id, bundle, log, false, Optional.empty());
            long pid = Long.parseLong(Files.readString(bundle.resolve("init.pid")).strip());
            CgroupPaths cgroups = CgroupPaths.of(pid);
            Result r = runtime("delete", "--force", id);
            if (!r.ok()) {
                throw new RuntimeFailure(config.name() + " created a probe container but could not delete it: "
                        + r.message(), true);
            }
            awaitMonitorExit(bundle);
            removeCgroups(Optional.of(cgroups));
        } catch (RuntimeFailure e) {
            try {
                runtime("delete", "--force", id);
            } catch (RuntimeFailure ignored) {
                // the probe's own failure is the one to report
            }
            removeCgroups(Optional.empty());
            String why = e instanceof CreateFailure c ? "a test container could not be created: " + c.why : e.getMessage();
            throw new RuntimeFailure(hostProblem(why), true, e);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot check " + config.name() + " on this host: " + e.getMessage(), true, e);
        } finally {
            FileTrees.delete(bundle);
        }
    }

    private ObjectNode probeSpec(String id) {
        ObjectNode root = json.createObjectNode();
        root.put("ociVersion", "1.0.2");
        ObjectNode p = root.putObject("process");
        p.put("terminal", false);
        p.putObject("user").put("uid", 0).put("gid", 0);
        p.putArray("args").add("/probe");
        p.put("cwd", "/");
        p.put("noNewPrivileges", true);
        root.putObject("root").put("path", "rootfs").put("readonly", true);
        ObjectNode proc = root.putArray("mounts").addObject();
        proc.put("destination", "/proc").put("type", "proc").put("source", "proc");
        ObjectNode linux = root.putObject("linux");
        linux.put("cgroupsPath", OciSpec.CGROUP_PARENT + "/" + id);
        ObjectNode deny = linux.putObject("resources").putArray("devices").addObject();
        deny.put("allow", false).put("access", "rwm");
        ArrayNode namespaces = linux.putArray("namespaces");
        namespaces.addObject().put("type", "pid");
        namespaces.addObject().put("type", "mount");
        return root;
    }

    /** Turns a failed probe into advice; cgroup v1 hybrid hosts get the specific explanation. */
    private String hostProblem(String failure) {
        StringBuilder b = new StringBuilder(config.name()).append(" cannot run containers on this host: ")
                .append(failure);
        CgroupMode mode = CgroupMode.detect();
        if (mode == CgroupMode.HYBRID && failure.toLowerCase(Locale.ROOT).contains("hybrid")) {
            b.append(". This host mounts cgroup v1 controllers beside a cgroup v2 hierarchy (hybrid mode), which ")
                    .append(config.name()).append(" does not support: use runc (the default) here, or boot the host")
                    .append(" with cgroup v2 only (systemd.unified_cgroup_hierarchy=1)");
        }
        return b.toString();
    }

    /** Probe containers and bundles left by a process that died during {@link #probe()}. */
    private void removeStaleProbes() {
        Result r = runtime("list", "--format", "json");
        if (r.ok() && !r.stdout().isBlank()) {
            for (JsonNode c : parse(r.stdout(), "list")) {
                String id = c.path("id").asText("");
                if (id.startsWith(PROBE_PREFIX)) runtime("delete", "--force", id);
            }
        }
        try (var dirs = Files.newDirectoryStream(config.runtimeDir(), PROBE_PREFIX + "*")) {
            for (Path dir : dirs) FileTrees.delete(dir);
        } catch (IOException | UncheckedIOException ignored) {
            // leftovers only cost disk space
        }
    }

    /** How the host mounts cgroups, for explaining failures. */
    enum CgroupMode {
        LEGACY, HYBRID, UNIFIED, UNKNOWN;

        static CgroupMode detect() {
            try {
                String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
                boolean v1 = mounts.contains(" - cgroup ");
                boolean v2 = mounts.contains(" - cgroup2 ");
                if (v1 && v2) return HYBRID;
                if (v1) return LEGACY;
                if (v2) return UNIFIED;
                return UNKNOWN;
            } catch (IOException e) {
                return UNKNOWN;
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Removes whatever a failed create left: the runtime's container, the bundle, cgroup directories. */
    private void discard(String id, Path bundle) {
        Optional<ContainerRecord> rec = ContainerRecord.read(bundle);
        try {
            runtime("delete", "--force", id);
        } catch (RuntimeException ignored) {
            // best effort: the original failure is the one worth reporting
        }
        awaitMonitorExit(bundle);
        removeCgroups(rec.map(ContainerRecord::cgroupPaths));
        try {
            OverlayRootfs.unmount(runner, bundle.resolve("rootfs"), config.commandTimeout());
            FileTrees.delete(bundle);
        } catch (UncheckedIOException | IllegalStateException | CommandTimeout ignored) {
            // best effort, as above
        }
    }

    private RuntimeFailure asFailure(Exception e, String what) {
        if (e instanceof RuntimeFailure f) return f;
        if (e instanceof ImageStoreException i) return new RuntimeFailure(i.getMessage(), false, i);
        if (e instanceof CommandNotStarted n) return new RuntimeFailure(n.getMessage(), true, n);
        return new RuntimeFailure(config.name() + " " + what + ": " + e.getMessage(), true, e);
    }

    /**
     * Whether the runtime has state for this id. runc, crun and youki all keep a container's state
     * in {@code <root>/<id>}, so a directory check answers without running the binary (~15 ms saved).
     */
    private boolean known(String id) {
        return Files.exists(config.stateRoot().resolve(id));
    }

    /** Runs a short runtime command ({@code --root} set) with the configured deadline. */
    private Result runtime(String... args) {
        List<String> cmd = runtimeArgs(args);
        try {
            return runner.run(cmd, config.commandTimeout());
        } catch (CommandTimeout e) {
            throw new RuntimeFailure(e.getMessage() + "; the runtime may be hung", true, e);
        } catch (CommandNotStarted e) {
            throw new RuntimeFailure(e.getMessage(), true, e);
        }
    }

    private List<String> runtimeArgs(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--root", config.stateRoot().toString()));
        int logAt = args.length >= 2 && args[0].equals("--log") ? 2 : 0;
        if (logAt == 2) {
            // --log is a global option: it goes before the command.
            cmd.add(args[0]);
            cmd.add(args[1]);
        }
        cmd.addAll(Arrays.asList(args).subList(logAt, args.length));
        return cmd;
    }

    private static boolean notFound(Result r) {
        String m = r.message().toLowerCase(Locale.ROOT);
        return m.contains("does not exist") || m.contains("not found") || m.contains("no such file");
    }

    /** A create/start error caused by the workload (its program is missing or not executable), not by the node. */
    static boolean workloadFault(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("exec:") && (m.contains("not found") || m.contains("no such file")
                || m.contains("permission denied"));
    }

    /** The runtime's own error for a failed create: its --log file, else the tail of the container log. */
    private String createError(Path bundle, Path log, int code) {
        if (code == 125) {
            String tail = lastLines(log, 3);
            return "the container monitor failed" + (tail.isEmpty() ? "" : ": " + tail);
        }
        List<String> errors = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(bundle.resolve("runtime.log"), StandardCharsets.UTF_8)) {
                String m = logMessage(line);
                if (!m.isBlank()) errors.add(m);
            }
        } catch (IOException ignored) {
            // no runtime log: fall back to the container log below
        }
        if (!errors.isEmpty()) return errors.getLast();
        String tail = lastLines(log, 3);
        return tail.isEmpty() ? "exit code " + code : tail;
    }

    private static final Pattern LOGRUS_MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern JSON_MSG = Pattern.compile("\"msg\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The message of one runtime log line: runc's logrus text (level=… msg="…"), JSON, or the plain line (crun). */
    static String logMessage(String line) {
        if (line.contains("level=") && !line.contains("level=error") && !line.contains("level=fatal")) return "";
        for (Pattern p : List.of(LOGRUS_MSG, JSON_MSG)) {
            Matcher m = p.matcher(line);
            if (m.find()) return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return line.strip();
    }

    private static String lastLines(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size())).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private JsonNode parse(String text, String what) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new RuntimeFailure(config.name() + " " + what + " printed something that is not JSON: "
                    + text.strip(), true, e);
        }
    }

    private static Instant parseInstant(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String validId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new RuntimeFailure("container id '" + id + "' is not valid: use 1-128 letters, digits, '_', '.'"
                    + " and '-', starting with a letter or digit", false);
        }
        return id;
    }

    /** System call numbers the monitor needs (perl's {@code syscall} takes numbers, which differ per architecture). */
    record Syscalls(int prctl, int mount) {}

    static Syscalls syscalls(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> new Syscalls(157, 165);
            case "aarch64", "riscv64", "loongarch64" -> new Syscalls(167, 40);
            case "ppc64le", "ppc64" -> new Syscalls(171, 21);
            case "s390x" -> new Syscalls(172, 21);
            case "x86", "i386", "i686" -> new Syscalls(172, 21);
            default -> throw new RuntimeFailure("Hypha's container monitor does not know the system call numbers"
                    + " of architecture " + osArch + ", so exit codes cannot be recorded here", true);
        };
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while waiting for a container", true, e);
        }
    }
}
