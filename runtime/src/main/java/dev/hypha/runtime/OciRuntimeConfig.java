package dev.hypha.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link OciCliRuntime} finds and drives its OCI runtime binary.
 *
 * <p>runc, crun and youki share the OCI runtime command line, so one adapter serves all three;
 * only the name (which also names the state directory) and the binary differ.
 *
 * @param name           "runc", "crun", "youki" …: shown to users, names {@code DATA/runtime/<name>}
 * @param binary         the program: a name looked up on PATH and in the sbin directories, or a path
 * @param dataDir        the node's data directory; bundles go to {@code DATA/bundles/<id>}
 * @param perl           the interpreter of the container monitor (see {@link OciCliRuntime})
 * @param commandTimeout deadline of one runtime call; runc create of a bundle takes ~50 ms, so
 *                       30 s only ever expires on a hung runtime, which is then killed and reported
 * @param pidsLimit      most processes one container may have (a fork bomb stops there): 1024,
 *                       as Docker's common {@code --pids-limit} and plenty for one service
 */
public record OciRuntimeConfig(String name, String binary, Path dataDir, String perl, Duration commandTimeout,
                               long pidsLimit) {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_PIDS_LIMIT = 1024;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public OciRuntimeConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("runtime name '" + name + "' must be lowercase letters, digits and '-'");
        }
        if (binary == null || binary.isBlank()) throw new IllegalArgumentException("runtime binary is required");
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath().normalize();
        if (perl == null || perl.isBlank()) throw new IllegalArgumentException("perl is required");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
        if (pidsLimit <= 0) throw new IllegalArgumentException("pidsLimit must be positive, got " + pidsLimit);
    }

    /** runc from PATH, the default runtime. */
    public static OciRuntimeConfig runc(Path dataDir) {
        return named("runc", dataDir);
    }

    /** The runtime whose binary has this name ("crun", "youki"), with defaults. */
    public static OciRuntimeConfig named(String name, Path dataDir) {
        return new OciRuntimeConfig(name, name, dataDir, "perl", DEFAULT_COMMAND_TIMEOUT, DEFAULT_PIDS_LIMIT);
    }

    public OciRuntimeConfig withBinary(String binary) {
        return new OciRuntimeConfig(name, binary, dataDir, perl, commandTimeout, pidsLimit);
    }

    public OciRuntimeConfig withCommandTimeout(Duration timeout) {
        return new OciRuntimeConfig(name, binary, dataDir, perl, timeout, pidsLimit);
    }

    public OciRuntimeConfig withPidsLimit(long limit) {
        return new OciRuntimeConfig(name, binary, dataDir, perl, commandTimeout, limit);
    }

    /** {@code DATA/runtime/<name>}: the monitor script, the host probe and scratch files. */
    public Path runtimeDir() {
        return dataDir.resolve("runtime").resolve(name);
    }

    /** The runtime's {@code --root}: its per-container state, and nothing else (runc lists every directory in it). */
    public Path stateRoot() {
        return runtimeDir().resolve("state");
    }

    /** {@code DATA/bundles}: one OCI bundle per container. */
    public Path bundlesDir() {
        return dataDir.resolve("bundles");
    }
}
