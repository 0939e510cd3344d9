package dev.hypha.runtime.probe;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to tell that a running container still works, and how patiently: Kubernetes' liveness
 * probe in three kinds.
 *
 * <p>Each check runs every {@link #period()}, fails when it takes longer than
 * {@link #timeout()}, and the container counts as dead after {@link #failureThreshold()}
 * consecutive failures. Defaults are Kubernetes': every 10 s, 1 s timeout, 3 failures.
 * TCP and HTTP checks connect to 127.0.0.1 because containers share the host's network
 * namespace for now.
 */
public sealed interface LivenessCheck permits LivenessCheck.Exec, LivenessCheck.Tcp, LivenessCheck.Http {
    Duration DEFAULT_PERIOD = Duration.ofSeconds(10);
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    int DEFAULT_FAILURE_THRESHOLD = 3;

    Duration period();

    Duration timeout();

    int failureThreshold();

    /** Whether this many failures in a row mean the container is dead. */
    default boolean exceeded(int consecutiveFailures) {
        return consecutiveFailures >= failureThreshold();
    }

    /** Healthy when {@code command}, run inside the container, exits 0. */
    record Exec(List<String> command, Duration period, Duration timeout, int failureThreshold) implements LivenessCheck {
        public Exec {
            command = List.copyOf(command);
            if (command.isEmpty()) throw new IllegalArgumentException("an exec liveness check needs a command");
            validate(period, timeout, failureThreshold);
        }
    }

    /** Healthy when a TCP connection to 127.0.0.1:{@code port} opens. */
    record Tcp(int port, Duration period, Duration timeout, int failureThreshold) implements LivenessCheck {
        public Tcp {
            validatePort(port);
            validate(period, timeout, failureThreshold);
        }
    }

    /** Healthy when {@code GET http://127.0.0.1:port/path} answers with a status from 200 to 399. */
    record Http(int port, String path, Duration period, Duration timeout, int failureThreshold)
            implements LivenessCheck {
        public Http {
            validatePort(port);
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) throw new IllegalArgumentException("an HTTP liveness path must start with '/', got '" + path + "'");
            validate(period, timeout, failureThreshold);
        }
    }

    static Exec exec(String... command) {
        return new Exec(List.of(command), DEFAULT_PERIOD, DEFAULT_TIMEOUT, DEFAULT_FAILURE_THRESHOLD);
    }

    static Tcp tcp(int port) {
        return new Tcp(port, DEFAULT_PERIOD, DEFAULT_TIMEOUT, DEFAULT_FAILURE_THRESHOLD);
    }

    static Http http(int port, String path) {
        return new Http(port, path, DEFAULT_PERIOD, DEFAULT_TIMEOUT, DEFAULT_FAILURE_THRESHOLD);
    }

    private static void validate(Duration period, Duration timeout, int failureThreshold) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a liveness period must be positive, got " + period);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a liveness timeout must be positive, got " + timeout);
        }
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("a liveness failure threshold must be at least 1, got " + failureThreshold);
        }
    }

    private static void validatePort(int port) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
}
