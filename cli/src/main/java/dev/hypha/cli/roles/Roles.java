package dev.hypha.cli.roles;

import dev.hypha.agent.NodeIdentity;
import dev.hypha.cli.CliException;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the role commands share: flag checks that are usage errors, start-up failures that are not, and an orderly stop. */
final class Roles {
    private Roles() {}

    /** The node id: the flag, checked, or this host's sanitised name. */
    static String nodeId(CommandSpec spec, String flag) {
        if (flag == null) return NodeIdentity.defaultNodeId();
        try {
            return Validation.name("--node-id", flag);
        } catch (InvalidSpecException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static void checkRuntime(CommandSpec spec, String runtime) {
        if (!NodeOptions.RUNTIMES.contains(runtime)) {
            throw new ParameterException(spec.commandLine(), "--runtime '" + runtime + "' is not one of "
                    + String.join(", ", NodeOptions.RUNTIMES));
        }
    }

    /** {@code a:1,b:2} → [a:1, b:2]; each entry must be host:port. */
    static List<String> seeds(CommandSpec spec, String text) {
        if (text == null || text.isBlank()) return List.of();
        List<String> seeds = Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String s : seeds) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")) {
                throw new ParameterException(spec.commandLine(), "--seeds entry '" + s + "' is not IP:PORT");
            }
        }
        return seeds;
    }

    static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /**
     * Builds a config record; its constructor's complaints ("api port must be 0..65535") are
     * usage errors.
     */
    static <T> T config(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Starts a role; a failure to start (port in use, unreadable data dir) is exit 1 with the reason. */
    static <T> T start(String what, Supplier<T> start) {
        try {
            return start.get();
        } catch (UncheckedIOException e) {
            throw new CliException("cannot start the " + what + ": " + reason(e.getCause()), e);
        } catch (RuntimeException e) {
            if (e instanceof CliException) throw e;
            throw new CliException("cannot start the " + what + ": " + reason(e), e);
        }
    }

    private static String reason(Throwable t) {
        Throwable cur = t;
        while (cur.getCause() != null && cur.getMessage() == null) cur = cur.getCause();
        String message = cur.getMessage() == null ? cur.getClass().getSimpleName() : cur.getMessage();
        return message.startsWith("cannot start the ") ? message.substring(message.indexOf(':') + 1).strip() : message;
    }

    /** Runs {@code actions} in order, once, each even if an earlier one failed. */
    static Runnable once(PrintWriter err, Runnable... actions) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (!done.compareAndSet(false, true)) return;
            for (Runnable a : actions) {
                try {
                    a.run();
                } catch (RuntimeException e) {
                    err.println("hypha: while stopping: " + e.getMessage());
                    err.flush();
                }
            }
        };
    }
}
