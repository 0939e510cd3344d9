package dev.hypha.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An HTTP client that runs as its own JVM inside a network namespace and takes requests on stdin,
 * so a test in the root namespace can call an API whose address exists only in that namespace.
 *
 * <p>A JVM cannot enter another network namespace (it is multi-threaded), and starting the CLI for
 * every call costs a JVM start-up each; one relay serves the whole test. Protocol, one JSON object
 * per line each way: {@code {"method","path","body"}} in, {@code {"status","body"}} out, or
 * {@code {"status":0,"error"}} when the request did not get an answer.
 */
final class NetnsHttpRelay {
    private NetnsHttpRelay() {}

    /** {@code NetnsHttpRelay BASE_URL TOKEN}: serves requests from stdin until it closes. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: NetnsHttpRelay BASE_URL TOKEN");
        URI base = URI.create(args[0]);
        String token = args[1];
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode req = Json.mapper().readTree(line);
            ObjectNode answer = Json.mapper().createObjectNode();
            try {
                String body = req.path("body").isNull() || req.path("body").isMissingNode() ? null : req.get("body").asText();
                HttpRequest r = HttpRequest.newBuilder(base.resolve(req.get("path").asText())).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .method(req.get("method").asText(), body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                        .build();
                HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
                answer.put("status", response.statusCode()).put("body", response.body());
            } catch (IOException e) {
                answer.put("status", 0).put("error", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.println(Json.mapper().writeValueAsString(answer));
        }
    }

    /** The test's side: starts a relay in a namespace and sends it requests, one at a time. */
    static final class Client implements AutoCloseable {
        private final Process process;
        private final Writer requests;
        private final BufferedReader answers;
        private final Path log;

        Client(String namespace, Path log, URI base, String token) throws IOException {
            this.log = log;
            java.nio.file.Files.createDirectories(log.getParent());
            this.process = new ProcessBuilder(NetnsLab.javaCommand(namespace, NetnsHttpRelay.class.getName(),
                    List.of(base.toString(), token))).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            this.requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /**
         * Sends one request; the answer's status and body, or status 0 when the server did not answer.
         *
         * @throws IllegalStateException when the relay itself has exited
         */
        synchronized Answer send(String method, String path, String body) throws IOException {
            ObjectNode req = Json.mapper().createObjectNode().put("method", method).put("path", path).put("body", body);
            requests.write(Json.mapper().writeValueAsString(req) + "\n");
            requests.flush();
            String line = answers.readLine();
            // Not an IOException: a dead relay is a broken test, not a server that did not answer.
            if (line == null) throw new IllegalStateException("the HTTP relay in its namespace has exited; see " + log);
            JsonNode a = Json.mapper().readTree(line);
            return new Answer(a.get("status").asInt(), a.path("body").asText(a.path("error").asText()));
        }

        /** Sends one request and parses its JSON answer; fails on anything but 2xx. */
        JsonNode json(String method, String path, String body) throws IOException {
            Answer a = send(method, path, body);
            if (a.status() < 200 || a.status() >= 300) throw new IOException(method + " " + path + " -> " + a.status() + ": " + a.body());
            return Json.mapper().readTree(a.body());
        }

        boolean healthy() {
            try {
                return send("GET", "/healthz", null).status() == 200;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                requests.close();
            } catch (IOException e) {
                // the relay is gone already; it is stopped below either way
            }
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    /** A relayed HTTP answer; status 0 means no answer, with the error as body. */
    record Answer(int status, String body) {}
}
