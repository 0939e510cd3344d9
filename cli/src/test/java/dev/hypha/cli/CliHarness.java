package dev.hypha.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real command tree in-process, a fresh {@code CommandLine} per call, with its own
 * environment and home, and captures what it prints.
 */
public final class CliHarness {
    private final Map<String, String> env;
    private final Path home;
    private final List<Runnable> shutdownActions = new ArrayList<>();

    public CliHarness(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = context(new PrintWriter(out, true), new PrintWriter(err, true));
        int code = Main.run(ctx, args);
        return new Result(code, out.toString(), err.toString());
    }

    public CliContext context(PrintWriter out, PrintWriter err) {
        return new CliContext(env, home, out, err, Clock.systemUTC(), Duration.ofMillis(100),
                (name, action) -> {
                    synchronized (shutdownActions) {
                        shutdownActions.add(action);
                    }
                });
    }

    /** Runs what the commands registered as shutdown hooks, as the JVM would on Ctrl-C. */
    public void shutdown() {
        List<Runnable> actions;
        synchronized (shutdownActions) {
            actions = List.copyOf(shutdownActions);
            shutdownActions.clear();
        }
        actions.forEach(Runnable::run);
    }
}
