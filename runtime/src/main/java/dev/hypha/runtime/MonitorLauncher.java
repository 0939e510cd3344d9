package dev.hypha.runtime;

import dev.hypha.runtime.CommandRunner.CommandNotStarted;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts container monitors ({@code monitor.pl}) and hands them their requests on stdin, keeping
 * one started ahead of need: a spare that has forked the monitor, moved it to its own process
 * group and made it a subreaper, and waits. A container start then waits for neither a process to
 * be spawned, nor perl to start and compile the script, nor that set-up: about 5 ms on an idle
 * host, 10 ms and more on a busy one, on every start.
 *
 * <p>At most one spare waits. {@link #launch} takes it, or starts a monitor when none is ready;
 * {@link #replenish} starts the next spare in the background {@link #REPLENISH_DELAY} later,
 * rather than during a start or right after it, so that it does not compete for the CPU with the
 * start or with what follows a start (the agent's status report: measured on a busy 2-core host,
 * a spare started at once delayed the report by ~3-5 ms). A spare that is never used exits when
 * this process does: its stdin closes and it finds no request. Thread-safe.
 */
final class MonitorLauncher {
    static final Duration REPLENISH_DELAY = Duration.ofMillis(100);

    private final List<String> command;
    private final AtomicReference<Process> spare = new AtomicReference<>();
    private final AtomicBoolean starting = new AtomicBoolean();

    /**
     * @param perl     the interpreter
     * @param script   the monitor script
     * @param syscalls this architecture's system call numbers, which the script takes as arguments
     */
    MonitorLauncher(Path perl, Path script, OciCliRuntime.Syscalls syscalls) {
        this.command = List.of(perl.toString(), script.toString(), Integer.toString(syscalls.prctl()),
                Integer.toString(syscalls.mount()));
    }

    /** The command line of a monitor; its request comes on stdin. */
    List<String> command() {
        return command;
    }

    /**
     * Gives {@code request} (the container's log file, the bundle, the overlay options or "-", then
     * the runtime command) to the spare, or to a monitor started now when none is ready, and
     * returns that monitor: it exits with the runtime command's exit code.
     *
     * @throws CommandNotStarted when perl cannot be started, or dies before it has the request
     */
    Process launch(List<String> request) {
        byte[] bytes = String.join("\0", request).getBytes(StandardCharsets.UTF_8);
        Process ready = spare.getAndSet(null);
        if (ready != null && ready.isAlive() && handed(ready, bytes)) return ready;
        Process fresh = start();
        if (!handed(fresh, bytes)) {
            throw new CommandNotStarted(command, new IOException("the monitor exited before it got its request"));
        }
        return fresh;
    }

    /** Writes the request and closes stdin; false when the monitor has died meanwhile. */
    private static boolean handed(Process monitor, byte[] request) {
        try (OutputStream in = monitor.getOutputStream()) {
            in.write(request);
            return true;
        } catch (IOException died) {
            monitor.destroyForcibly();
            return false;
        }
    }

    private Process start() {
        return CommandRunner.start(new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD), new ArrayList<>(command));
    }

    /** Whether a spare is waiting now. */
    boolean spareReady() {
        Process waiting = spare.get();
        return waiting != null && waiting.isAlive();
    }

    /** Starts a spare on a virtual thread {@link #REPLENISH_DELAY} from now, unless one is waiting or coming. */
    void replenish() {
        if (spare.get() != null || !starting.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("hypha-spare-monitor").start(() -> {
            try {
                Thread.sleep(REPLENISH_DELAY);
                Process started = start();
                // Closing its stdin without a request ends it: used when another was faster.
                if (!spare.compareAndSet(null, started)) started.getOutputStream().close();
            } catch (CommandNotStarted | IOException cannotStart) {
                // Starts go on starting their own monitors, which report the problem if it persists.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                starting.set(false);
            }
        });
    }
}
