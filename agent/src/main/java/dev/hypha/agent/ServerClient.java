package dev.hypha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The agent's HTTP client to the servers, with failover: requests go to the server that last
 * answered, and move to the next one when it cannot be reached. Thread-safe.
 */
public final class ServerClient {
    private final List<URI> servers;
    private final String token;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private volatile int current;
    /** The request under way, so {@link #close()} can end a long-poll that an interrupt would not. */
    private volatile HttpURLConnection inFlight;
    private volatile boolean closed;

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

    /**
     * Sends one request and decodes the answer, moving to the next server when one cannot be
     * reached or answers 5xx.
     *
     * <p>On {@link HttpURLConnection}, blocking on the calling thread: the agent's loop sends one
     * request at a time, and {@code java.net.http}'s hand-offs between the caller, its selector and
     * its executor cost the agent more than the rest of a pass's requests (measured with four
     * agents in one process). Connections are kept alive and reused between requests.
     */
    public <T> T send(String method, String path, Object body, Class<T> type, Duration timeout) throws IOException {
        IOException last = null;
        int start = current;
        byte[] payload = body == null ? null : Json.bytes(body);
        for (int k = 0; k < servers.size(); k++) {
            if (closed) throw new IOException("the agent is stopping");
            int idx = (start + k) % servers.size();
            URI uri = servers.get(idx).resolve(path);
            HttpURLConnection c;
            int status;
            byte[] answer;
            try {
                // No proxy, as before (java.net.http uses none unless told): servers are reached directly.
                c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
                inFlight = c;
                c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
                c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                c.setUseCaches(false);
                c.setRequestMethod(method);
                c.setRequestProperty("Authorization", "Bearer " + token);
                c.setRequestProperty("Content-Type", "application/json");
                if (payload != null) {
                    c.setDoOutput(true);
                    c.setFixedLengthStreamingMode(payload.length);
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(payload);
                    }
                }
                status = c.getResponseCode();
                // Read to the end (also an error's body), so the connection goes back to the keep-alive pool.
                try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    answer = in == null ? new byte[0] : in.readAllBytes();
                }
            } catch (IOException e) {
                if (closed || Thread.currentThread().isInterrupted()) throw new IOException("interrupted", e);
                last = e;
                continue;
            } finally {
                inFlight = null;
            }
            if (status >= 500) {
                last = new ServerError(status, detail(answer));
                continue;
            }
            current = idx;
            if (status >= 400) throw new ServerError(status, detail(answer));
            return Json.read(answer, type);
        }
        throw last != null ? last : new IOException("no server configured");
    }

    /**
     * Ends the request under way (a blocking read ignores interrupts), and makes every later one
     * fail: for the agent's shutdown.
     */
    public void close() {
        closed = true;
        HttpURLConnection c = inFlight;
        if (c == null) return;
        try {
            c.disconnect();
        } catch (RuntimeException e) {
            // Between connecting and reading the JDK's connection can fail to disconnect (no socket yet or
            // any more); the request then ends by itself within its timeout.
        }
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
