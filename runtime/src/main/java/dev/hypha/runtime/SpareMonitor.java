package dev.hypha.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A container monitor started ahead of need and waiting for its request on stdin
 * ({@code monitor.pl --stdin}), so that a container start does not wait for a process to be
 * spawned and perl to start and compile the script: about 5 ms on an idle host, 10 ms and more on
 * a busy one, on every start.
 *
 * <p>At most one waits. {@link #hand} gives it its request; {@link #replenish} starts the next one
 * in the background, {@link #REPLENISH_DELAY} after a start rather than during it or right after
 * it, so that it does not compete for the CPU with the start or with what follows a start (the
 * agent's status report: measured on a busy 2-core host, a spare started at once delayed the
 * report by ~3-5 ms). When none is ready the caller starts a monitor itself, as before. A spare
 * that is never used exits when this process does: its stdin closes and it finds no request.
 * Thread-safe.
 */
final class SpareMonitor {
    static final Duration REPLENISH_DELAY = Duration.ofMillis(100);

    private final List<String> command;
    private final AtomicReference<Process> waiting = new AtomicReference<>();
    private final AtomicBoolean starting = new AtomicBoolean();

    /** @param perl the interpreter; {@code script} the monitor script */
    SpareMonitor(Path perl, Path script) {
        this.command = List.of(perl.toString(), script.toString(), "--stdin");
    }

    /**
     * Hands {@code arguments} (the container's log file first, then the monitor's command line
     * arguments) to the waiting monitor and returns it, now running them; empty when none was
     * ready or it had died, and the caller starts its own.
     */
    Optional<Process> hand(List<String> arguments) {
        Process spare = waiting.getAndSet(null);
        if (spare == null || !spare.isAlive()) return Optional.empty();
        try (OutputStream in = spare.getOutputStream()) {
            in.write(String.join("\0", arguments).getBytes(StandardCharsets.UTF_8));
        } catch (IOException diedMeanwhile) {
            spare.destroyForcibly();
            return Optional.empty();
        }
        return Optional.of(spare);
    }

    /** Whether a spare is waiting now. */
    boolean ready() {
        Process spare = waiting.get();
        return spare != null && spare.isAlive();
    }

    /** Starts a spare on a virtual thread {@link #REPLENISH_DELAY} from now, unless one is waiting or coming. */
    void replenish() {
        if (waiting.get() != null || !starting.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("hypha-spare-monitor").start(() -> {
            try {
                Thread.sleep(REPLENISH_DELAY);
                Process spare = new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                // Closing its stdin without a request ends it: used when another was faster.
                if (!waiting.compareAndSet(null, spare)) spare.getOutputStream().close();
            } catch (IOException cannotStart) {
                // Starts go on starting their own monitors, which report the problem if it persists.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                starting.set(false);
            }
        });
    }
}
