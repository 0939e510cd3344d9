package dev.hypha.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived host command with a deadline and collects what it printed.
 *
 * <p>stdin is /dev/null and stdout/stderr go to temporary files, never to pipes: an OCI runtime
 * may hand its stdio to a container process that lives for days, and a pipe read to EOF would
 * then block for as long (TOOLCHAIN.md, gotcha 1). With files, the deadline is the only wait.
 * A command that outlives its deadline is killed and reported as a {@link CommandTimeout}.
 * Thread-safe.
 */
public final class CommandRunner {
    private static final File DEV_NULL = new File("/dev/null");

    private final Path scratch;

    /** @param scratch a directory for the temporary output files (created when missing) */
    public CommandRunner(Path scratch) {
        this.scratch = scratch;
    }

    /** What a finished command returned and printed. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stderr, or stdout when stderr is empty, trimmed: the part worth showing a person. */
        public String message() {
            String m = stderr.isBlank() ? stdout : stderr;
            return m.strip();
        }
    }

    /** The command did not finish before its deadline and was killed. */
    public static final class CommandTimeout extends RuntimeException {
        public CommandTimeout(List<String> command, Duration timeout) {
            super("'" + String.join(" ", command) + "' did not finish within " + Durations.human(timeout)
                    + " and was killed");
        }
    }

    /** The command's program could not be started at all (missing or not executable). */
    public static final class CommandNotStarted extends RuntimeException {
        public CommandNotStarted(List<String> command, IOException cause) {
            super("cannot run '" + command.getFirst() + "': " + cause.getMessage(), cause);
        }
    }

    public Result run(List<String> command, Duration timeout) {
        return run(command, timeout, null);
    }

    /** Runs {@code command} in {@code workDir} (null: the current directory) and waits at most {@code timeout}. */
    public Result run(List<String> command, Duration timeout, Path workDir) {
        Path out = null;
        Path err = null;
        try {
            Files.createDirectories(scratch);
            out = Files.createTempFile(scratch, "out-", ".txt");
            err = Files.createTempFile(scratch, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (workDir != null) pb.directory(workDir.toFile());
            Process p = start(pb, command);
            int code = await(p, command, timeout);
            return new Result(List.copyOf(command), code, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running '" + String.join(" ", command) + "': " + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Starts a process, turning "no such program" into a {@link CommandNotStarted}. */
    static Process start(ProcessBuilder pb, List<String> command) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CommandNotStarted(command, e);
        }
    }

    /** Waits for {@code p} up to {@code timeout}; on expiry kills it with its descendants and throws. */
    static int await(Process p, List<String> command, Duration timeout) {
        try {
            if (p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) return p.exitValue();
            kill(p);
            throw new CommandTimeout(command, timeout);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for '" + String.join(" ", command) + "'", e);
        }
    }

    /**
     * Kills the descendants first and gives {@code p} a moment to reap them, then kills it. The
     * order matters for {@code runc exec}: its child lives in the container's pid namespace, and
     * an orphan there would be left to the host's PID 1 to reap, which may be slow, and the
     * container cannot finish stopping until it has been reaped.
     */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file in the scratch directory is harmless
        }
    }
}
