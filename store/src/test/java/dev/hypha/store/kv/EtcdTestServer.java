package dev.hypha.store.kv;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real single-member etcd server for tests: the {@code etcd} binary on free loopback ports with
 * its own temporary data directory.
 *
 * <p>{@link #start()} returns once etcd reports itself healthy; {@link #stop()} sends SIGTERM to
 * its PID and waits for it to exit; {@link #restart()} starts it again on the same ports and data,
 * as after an upgrade, and {@link #crashAndRestart()} does the same after a SIGKILL. {@link #close()} stops it and deletes the data. A JVM shutdown
 * hook kills a server a test forgot, so none outlives the test run.
 *
 * <p>Heartbeat 25 ms and election timeout 250 ms make a single member elect itself quickly after
 * a restart and lower etcd's minimum lease TTL to 1 s.
 */
public final class EtcdTestServer implements AutoCloseable {
    private static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(20);

    private final Path baseDir;
    private final int clientPort;
    private final int peerPort;
    private final Thread shutdownHook;
    private Process process;
    private int starts;

    private EtcdTestServer(Path baseDir, int clientPort, int peerPort) {
        this.baseDir = baseDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.shutdownHook = new Thread(this::kill, "etcd-test-server-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts etcd on fresh ports with an empty data directory; fails clearly when etcd is not installed. */
    public static EtcdTestServer start() {
        if (!Files.isExecutable(ETCD)) {
            throw new IllegalStateException("etcd not found: run ./hypha test or scripts/install-deps.sh");
        }
        IllegalStateException lastFailure = null;
        // Free ports are found by binding and releasing; another process may take one in between.
        for (int attempt = 0; attempt < 3; attempt++) {
            EtcdTestServer server;
            try {
                server = new EtcdTestServer(Files.createTempDirectory("hypha-etcd-"), freePort(), freePort());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data directory for etcd", e);
            }
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                lastFailure = e;
                server.close();
            }
        }
        throw lastFailure;
    }

    /** "etcd://127.0.0.1:port", for {@link EtcdKvStore#connect(String)}. */
    public String url() {
        return "etcd://127.0.0.1:" + clientPort;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops etcd gracefully (SIGTERM to its PID) and waits for it to exit, so its ports are free. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Stops etcd and starts it again on the same ports and data directory. */
    public void restart() {
        stop();
        launch();
    }

    /** Kills etcd with SIGKILL (a crash), waits for it to die, and starts it again on the same data. */
    public void crashAndRestart() {
        Process running = process;
        running.destroyForcibly();
        try {
            running.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd to die", e);
        }
        process = null;
        launch();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it finds nothing left to kill.
        }
        deleteRecursively(baseDir);
    }

    private void launch() {
        starts++;
        Path log = baseDir.resolve("etcd-" + starts + ".log");
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of(ETCD.toString(),
                "--name", "hypha-test",
                "--data-dir", baseDir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "hypha-test=" + peer, "--initial-cluster-state", "new",
                "--heartbeat-interval", "25", "--election-timeout", "250",
                "--logger", "zap", "--log-level", "warn");
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + ETCD + ": " + e.getMessage(), e);
        }
        awaitHealthy(log);
    }

    private void awaitHealthy(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(HEALTHY_WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited with " + process.exitValue() + " before it was healthy:\n" + tail(log));
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
                } catch (IOException notYetListening) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException("etcd was not healthy within " + HEALTHY_WITHIN + ":\n" + tail(log), e);
        }
    }

    private void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
