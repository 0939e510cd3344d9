package dev.hypha.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a command reads from the world outside its arguments: environment variables, the
 * home directory, where to print, the clock, how often to poll, and how to hook process shutdown.
 *
 * <p>Commands never call {@code System.getenv}, {@code System.out} or {@code Runtime} directly,
 * so a test runs the real command tree with its own environment and captures what it prints.
 *
 * @param pollInterval  how often {@code --wait} asks the server for progress
 * @param shutdownHooks where the roles register what to close when the process is stopped
 */
public record CliContext(Map<String, String> env, Path home, PrintWriter out, PrintWriter err, Clock clock,
                         Duration pollInterval, ShutdownHooks shutdownHooks) {
    public CliContext {
        env = Map.copyOf(env);
        if (home == null) throw new IllegalArgumentException("home is required");
    }

    /** Registers actions to run when the process is asked to stop (Ctrl-C, SIGTERM). */
    @FunctionalInterface
    public interface ShutdownHooks {
        void register(String name, Runnable action);

        /** The JVM's shutdown hooks: what a real process uses. */
        static ShutdownHooks jvm() {
            return (name, action) -> Runtime.getRuntime().addShutdownHook(new Thread(action, name));
        }
    }

    /** The context of the real process: its environment, $HOME, stdout and stderr, the system clock. */
    public static CliContext system() {
        String home = System.getenv("HOME");
        return new CliContext(System.getenv(), Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                Clock.systemUTC(), Duration.ofMillis(500), ShutdownHooks.jvm());
    }

    /** The local data directory that {@code hypha up} uses by default: {@code $HOME/.hypha}. */
    public Path defaultDataDir() {
        return home.resolve(".hypha");
    }
}
