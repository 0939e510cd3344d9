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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's HTTP client to the servers, with failover: requests go to the server that last
 * answered, and move to the next one when it cannot be reached. Thread-safe.
 *
 * <p>Each request runs on the caller's thread over a kept-alive connection
 * ({@link HttpURLConnection}, no proxy, no redirects). Why not {@code java.net.http.HttpClient}:
 * its blocking send hands the request to its selector thread and the answer to a pool thread
 * before the caller wakes, and those hand-offs cost more than the exchange itself on loopback
 * (measured on two loaded cores: about 1.1 ms a round trip against 0.6 ms, and several ms while
 * the code is still cold). The agent's report of a started container and the answer of its
 * long-poll both wait on them. A blocked read does not answer {@link Thread#interrupt}, so
 * {@link #close()} disconnects the requests under way instead.
 */
public final class ServerClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final List<URI> servers;
    private final String token;
    private final Set<HttpURLConnection> inFlight = ConcurrentHashMap.newKeySet();
    private volatile int current;
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

    /** A server's answer: its status code and body. */
    private record Answer(int status, byte[] body) {}

    /**
     * Sends {@code body} (as JSON; none when null) to the first server that answers, and reads its
     * answer as {@code type}. {@code timeout} bounds each wait for the server's bytes, so a
     * long-poll's must exceed its wait.
     */
    public <T> T send(String method, String path, Object body, Class<T> type, Duration timeout) throws IOException {
        byte[] payload = body == null ? null : Json.bytes(body);
        IOException last = null;
        int start = current;
        for (int k = 0; k < servers.size(); k++) {
            int idx = (start + k) % servers.size();
            URI uri = servers.get(idx).resolve(path);
            Answer res;
            try {
                res = exchange(uri, method, payload, timeout);
            } catch (IOException e) {
                if (closed) throw new IOException("the client is closed", e);
                last = e;
                continue;
            } catch (RuntimeException e) {
                // close() disconnecting a request mid-read can surface from inside the JDK as a
                // RuntimeException (a NullPointerException in its parser): that too is "closed".
                if (closed) throw new IOException("the client is closed", e);
                throw e;
            }
            if (res.status() >= 500) {
                last = new ServerError(res.status(), detail(res.body()));
                continue;
            }
            current = idx;
            if (res.status() >= 400) throw new ServerError(res.status(), detail(res.body()));
            return Json.read(res.body(), type);
        }
        throw last != null ? last : new IOException("no server configured");
    }

    private Answer exchange(URI uri, String method, byte[] payload, Duration timeout) throws IOException {
        if (closed) throw new IOException("the client is closed");
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        inFlight.add(c);
        try {
            if (closed) throw new IOException("the client is closed");
            c.setConnectTimeout(millis(CONNECT_TIMEOUT));
            c.setReadTimeout(millis(timeout));
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod(method);
            c.setRequestProperty("Authorization", "Bearer " + token);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
            if (payload != null || !method.equals("GET")) {
                // Buffered, not streamed: a streamed request answered with 401 throws instead of
                // showing the server's answer. A body-less PUT or POST sends "Content-Length: 0".
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    if (payload != null) out.write(payload);
                }
            }
            int status = c.getResponseCode();
            // Read to the end either way: only a fully read answer leaves the connection for the next request.
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) return new Answer(status, new byte[0]);
            try (in) {
                return new Answer(status, in.readAllBytes());
            }
        } finally {
            inFlight.remove(c);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.clamp(d.toMillis(), 1, Integer.MAX_VALUE);
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

    /** Ends the requests under way (their callers get an IOException) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        for (HttpURLConnection c : inFlight) c.disconnect();
    }
}
