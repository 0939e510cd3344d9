package dev.hypha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The agent's HTTP client to the servers, with failover: requests go to the server that last
 * answered, and move to the next one when it cannot be reached. Thread-safe.
 */
public final class ServerClient {
    private final List<URI> servers;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile int current;

    public ServerClient(List<URI> servers, String token) {
        this.servers = List.copyOf(servers);
        this.token = token;
    }

    /** A server answered with an error status; {@code detail} is the problem+json detail when there is one. */
    public static final class ServerError extends IOException {
        private final int status;

        public ServerError(int status, String detail) {
            super("server answered " + status + ": " + detail);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public <T> T send(String method, String path, Object body, Class<T> type, Duration timeout) throws IOException {
        IOException last = null;
        int start = current;
        for (int k = 0; k < servers.size(); k++) {
            int idx = (start + k) % servers.size();
            URI uri = servers.get(idx).resolve(path);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
            try {
                HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() >= 500) {
                    last = new ServerError(res.statusCode(), detail(res.body()));
                    continue;
                }
                current = idx;
                if (res.statusCode() >= 400) throw new ServerError(res.statusCode(), detail(res.body()));
                return Json.read(res.body(), type);
            } catch (ServerError e) {
                throw e;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw last != null ? last : new IOException("no server configured");
    }

    private static String detail(byte[] body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            if (n.hasNonNull("detail")) return n.get("detail").asText();
        } catch (IOException | RuntimeException ignored) {
            // Not problem+json: show the raw text below.
        }
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
