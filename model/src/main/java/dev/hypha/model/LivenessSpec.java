package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an agent tells that a running replica still works: one check, run on a period, and how
 * many failures in a row mean the container is dead and must be restarted.
 *
 * <p>The check is one of three kinds, as Kubernetes' liveness probes: {@code exec} (a command run
 * inside the container, healthy when it exits 0), {@code http} (a GET to the node's loopback,
 * healthy on 200-399) or {@code tcp} (a connection to the node's loopback opens). Containers
 * share the host's network namespace, so the port is the one the process listens on. Timing
 * defaults are Kubernetes': every 10 s, 1 s timeout, 3 failures, no initial delay.
 *
 * <p>JSON: {@code {"exec": ["cat", "/tmp/healthy"], "period_seconds": 5}},
 * {@code {"http": {"port": 8080, "path": "/healthz"}}} or {@code {"tcp": {"port": 8080}}}.
 *
 * @param exec                the command of an exec check, or null
 * @param http                the target of an HTTP check, or null
 * @param tcp                 the target of a TCP check, or null
 * @param periodSeconds       how often the check runs
 * @param timeoutSeconds      how long one check may take before it counts as failed
 * @param failureThreshold    consecutive failures after which the container is restarted
 * @param initialDelaySeconds how long after a start the first check waits (slow starters)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LivenessSpec(
        List<String> exec,
        HttpCheck http,
        TcpCheck tcp,
        int periodSeconds,
        int timeoutSeconds,
        int failureThreshold,
        int initialDelaySeconds) {

    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    /** Upper bound of the period, timeout and initial delay: a longer wait is a typo, not a check. */
    public static final int MAX_SECONDS = 3600;
    public static final int MAX_FAILURE_THRESHOLD = 1000;

    /** A GET to {@code http://127.0.0.1:port/path} on the node; the path defaults to "/". */
    public record HttpCheck(int port, String path) {
        public HttpCheck {
            Validation.range("liveness.http.port", port, 1, 65535);
            path = path == null || path.isEmpty() ? "/" : path;
            if (!path.startsWith("/")) {
                throw new InvalidSpecException("liveness.http.path must start with '/', got '" + path + "'");
            }
        }

        @JsonCreator
        public static HttpCheck fromJson(@JsonProperty("port") Integer port, @JsonProperty("path") String path) {
            if (port == null) throw new InvalidSpecException("liveness.http.port is required");
            return new HttpCheck(port, path);
        }
    }

    /** A TCP connection to {@code 127.0.0.1:port} on the node. */
    public record TcpCheck(int port) {
        public TcpCheck {
            Validation.range("liveness.tcp.port", port, 1, 65535);
        }

        @JsonCreator
        public static TcpCheck fromJson(@JsonProperty("port") Integer port) {
            if (port == null) throw new InvalidSpecException("liveness.tcp.port is required");
            return new TcpCheck(port);
        }
    }

    public LivenessSpec {
        List<String> kinds = new ArrayList<>();
        if (exec != null) kinds.add("exec");
        if (http != null) kinds.add("http");
        if (tcp != null) kinds.add("tcp");
        if (kinds.isEmpty()) {
            throw new InvalidSpecException("liveness needs one check: exec (a command), http (a port and path)"
                    + " or tcp (a port)");
        }
        if (kinds.size() > 1) {
            throw new InvalidSpecException("liveness takes exactly one check, got " + String.join(" and ", kinds));
        }
        if (exec != null) {
            if (exec.isEmpty() || exec.getFirst() == null || exec.getFirst().isBlank()) {
                throw new InvalidSpecException("liveness.exec must name a command to run, e.g. [\"cat\", \"/tmp/healthy\"]");
            }
            for (String arg : exec) {
                if (arg == null) throw new InvalidSpecException("liveness.exec must not hold null arguments");
            }
            exec = List.copyOf(exec);
        }
        Validation.range("liveness.period_seconds", periodSeconds, 1, MAX_SECONDS);
        Validation.range("liveness.timeout_seconds", timeoutSeconds, 1, MAX_SECONDS);
        Validation.range("liveness.failure_threshold", failureThreshold, 1, MAX_FAILURE_THRESHOLD);
        Validation.range("liveness.initial_delay_seconds", initialDelaySeconds, 0, MAX_SECONDS);
    }

    /** The JSON form: the check kind is required, the timing fields take their defaults. */
    @JsonCreator
    public static LivenessSpec fromJson(@JsonProperty("exec") List<String> exec, @JsonProperty("http") HttpCheck http,
                                        @JsonProperty("tcp") TcpCheck tcp,
                                        @JsonProperty("period_seconds") Integer periodSeconds,
                                        @JsonProperty("timeout_seconds") Integer timeoutSeconds,
                                        @JsonProperty("failure_threshold") Integer failureThreshold,
                                        @JsonProperty("initial_delay_seconds") Integer initialDelaySeconds) {
        return new LivenessSpec(exec, http, tcp, or(periodSeconds, DEFAULT_PERIOD_SECONDS),
                or(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS), or(failureThreshold, DEFAULT_FAILURE_THRESHOLD),
                or(initialDelaySeconds, 0));
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /** An exec check with the default timing. */
    public static LivenessSpec exec(List<String> command) {
        return new LivenessSpec(command, null, null, DEFAULT_PERIOD_SECONDS, DEFAULT_TIMEOUT_SECONDS,
                DEFAULT_FAILURE_THRESHOLD, 0);
    }

    /** An HTTP check with the default timing. */
    public static LivenessSpec http(int port, String path) {
        return new LivenessSpec(null, new HttpCheck(port, path), null, DEFAULT_PERIOD_SECONDS, DEFAULT_TIMEOUT_SECONDS,
                DEFAULT_FAILURE_THRESHOLD, 0);
    }

    /** A TCP check with the default timing. */
    public static LivenessSpec tcp(int port) {
        return new LivenessSpec(null, null, new TcpCheck(port), DEFAULT_PERIOD_SECONDS, DEFAULT_TIMEOUT_SECONDS,
                DEFAULT_FAILURE_THRESHOLD, 0);
    }

    /** The same check with other timing. */
    public LivenessSpec withTiming(int periodSeconds, int timeoutSeconds, int failureThreshold, int initialDelaySeconds) {
        return new LivenessSpec(exec, http, tcp, periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds);
    }

    @JsonIgnore
    public Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    @JsonIgnore
    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    @JsonIgnore
    public Duration initialDelay() {
        return Duration.ofSeconds(initialDelaySeconds);
    }

    /** The check in a few words, for messages: "exec 'cat /tmp/healthy'", "http :8080/healthz", "tcp :8080". */
    @JsonIgnore
    public String describe() {
        if (exec != null) return "exec '" + String.join(" ", exec) + "'";
        if (http != null) return "http :" + http.port() + http.path();
        return "tcp :" + tcp.port();
    }
}
