package dev.hypha.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hypha.cli.CliException;
import dev.hypha.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A JSON client for Hypha's {@code /api/v1}: bearer token on every request, bodies as JSON with
 * the model's snake_case mapper, and every failure turned into a {@link CliException} whose
 * message a person can act on (the problem's detail, a refused token and where it was read
 * from, a server that is not running).
 *
 * <p>Responses are returned as Jackson trees: the CLI prints them (as tables, JSON or YAML) and
 * should not break when the server adds a field.
 */
public final class ApiClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a loaded server; a request that takes longer is reported, not waited on forever. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Endpoint endpoint;
    private final HttpClient http;

    public ApiClient(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** One path segment, percent-encoded (names are plain, but an instance id typed by hand might not be). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    /** GET that answers empty on 404 instead of failing (for "create or update"). */
    public Optional<JsonNode> find(String path) {
        try {
            return Optional.of(get(path));
        } catch (ApiException e) {
            if (e.isNotFound()) return Optional.empty();
            throw e;
        }
    }

    public JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))));
    }

    public JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * Reads a text response line by line as it arrives (logs, {@code ?follow=true}), handing each
     * line to {@code lines}; returns when the server ends the response.
     */
    public void streamLines(String path, Consumer<String> lines) {
        HttpRequest req = request(path).timeout(Duration.ofDays(365)).GET().build();
        HttpResponse<InputStream> response = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() >= 300) {
                throw failure(response.statusCode(), body.readAllBytes());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.accept(line);
            }
        } catch (IOException e) {
            throw new CliException("the stream from " + endpoint.server() + " broke: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.server() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json, text/plain");
        if (endpoint.hasToken()) b.header("Authorization", "Bearer " + endpoint.token());
        return b;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpResponse<byte[]> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) throw failure(response.statusCode(), response.body());
        return parse(response.body(), response.headers().firstValue("Content-Type").orElse(""));
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliException("the server at " + endpoint.server() + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + "s (" + req.method() + " " + req.uri().getPath() + ")", e);
        } catch (ConnectException | UnresolvedAddressException e) {
            throw unreachable();
        } catch (IOException e) {
            if (causedBy(e, ConnectException.class) || causedBy(e, UnresolvedAddressException.class)) throw unreachable();
            throw new CliException("talking to the server at " + endpoint.server() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + endpoint.server(), e);
        }
    }

    private CliException unreachable() {
        return new CliException("cannot reach the server at " + endpoint.server() + " (is `hypha up` running?)");
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private ApiException failure(int status, byte[] body) {
        String detail = problemDetail(status, body);
        if (status == 401 || status == 403) {
            String what = endpoint.hasToken()
                    ? "the server at " + endpoint.server() + " refused the token read from " + endpoint.tokenSource()
                    : "the server at " + endpoint.server() + " needs a token and none was found (looked at "
                            + endpoint.tokenSource() + ")";
            return new ApiException(status, what + ": " + detail);
        }
        return new ApiException(status, detail);
    }

    /** The problem's detail, else its title, else the body's text, else the bare status. */
    static String problemDetail(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonNode problem = Json.mapper().readTree(text);
                for (String field : new String[] {"detail", "title", "message", "error"}) {
                    JsonNode v = problem.get(field);
                    if (v != null && v.isTextual() && !v.asText().isBlank()) return v.asText();
                }
            } catch (JsonProcessingException ignored) {
                // not JSON after all: fall through to the raw text
            }
        }
        if (!text.isEmpty() && text.length() <= 500) return text;
        return "the server answered HTTP " + status;
    }

    private static JsonNode parse(byte[] body, String contentType) {
        if (body.length == 0) return MissingNode.getInstance();
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType.contains("json") || text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[")) {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                if (contentType.contains("json")) {
                    throw new CliException("the server sent malformed JSON: " + describe(e), e);
                }
            }
        }
        return TextNode.valueOf(text);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
