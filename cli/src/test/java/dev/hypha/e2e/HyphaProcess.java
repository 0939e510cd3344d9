package dev.hypha.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code hypha} role ({@code up}, {@code server}, {@code agent}) running as a separate JVM, as a
 * user would start it, so a test can {@code kill -9} it. Output goes to a log file in its data dir.
 */
final class HyphaProcess implements AutoCloseable {
    final Path log;
    private final Process process;

    private HyphaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static HyphaProcess start(Path logFile, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.hypha.cli.Main");
        cmd.addAll(List.of(args));
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new HyphaProcess(p, logFile);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no cleanup. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) kill9();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A minimal API client for the tests: JSON in, JSON out, bearer token. */
    record Api(URI base, String token) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        int status(String method, String path, String body) throws IOException, InterruptedException {
            return send(method, path, body).statusCode();
        }

        JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> r = send(method, path, body);
            if (r.statusCode() >= 300) throw new IOException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
            return Json.mapper().readTree(r.body());
        }

        private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        }

        boolean healthy() {
            try {
                return HTTP.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }
}
