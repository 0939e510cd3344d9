package dev.hypha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's HTTP client against loopback servers: what it sends (method, token, JSON body),
 * how it reads answers and errors, failover between servers, connection reuse, and that closing
 * it ends a long-poll under way.
 */
class ServerClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ServerClient> clients = new ArrayList<>();

    /** One request as a server saw it. */
    record Seen(String method, String path, String authorization, String contentType, String body, int remotePort) {}

    /** Answers one request: the status and the body to send back. */
    @FunctionalInterface
    interface Handler {
        Answer handle(Seen request) throws Exception;
    }

    record Answer(int status, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private URI serve(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> answer(exchange, handler));
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRemoteAddress().getPort());
            seen.add(request);
            Answer a;
            try {
                a = handler.handle(request);
            } catch (Exception e) {
                a = new Answer(500, "{\"detail\":\"handler failed: " + e + "\"}");
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
        }
    }

    private ServerClient client(URI... uris) {
        ServerClient c = new ServerClient(List.of(uris), "join-token");
        clients.add(c);
        return c;
    }

    /** A loopback address nothing listens on: a port that was free a moment ago. */
    private static URI nobodyListening() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(ServerClient::close);
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void sendsTheBodyAsJsonWithTheTokenAndReadsTheAnswer() throws IOException {
        URI uri = serve(r -> new Answer(200, "{\"accepted\":3}"));
        var report = new AgentProtocol.StatusReport(List.of(), List.of());

        AgentProtocol.Accepted a = client(uri).send("PUT", "/api/v1/agents/n1/status", report,
                AgentProtocol.Accepted.class, TIMEOUT);

        assertThat(a.accepted()).isEqualTo(3);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("PUT");
            assertThat(s.path()).isEqualTo("/api/v1/agents/n1/status");
            assertThat(s.authorization()).isEqualTo("Bearer join-token");
            assertThat(s.contentType()).isEqualTo("application/json");
            assertThat(Json.read(s.body().getBytes(StandardCharsets.UTF_8), AgentProtocol.StatusReport.class))
                    .isEqualTo(report);
        });
    }

    @Test
    void aGetCarriesNoBodyAndTheQueryArrivesWhole() throws IOException {
        URI uri = serve(r -> new Answer(200, "{\"accepted\":0}"));

        client(uri).send("GET", "/api/v1/agents/n1/assignments?after=7&wait_seconds=2&delta=true", null,
                AgentProtocol.Accepted.class, TIMEOUT);

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("GET");
            assertThat(s.path()).isEqualTo("/api/v1/agents/n1/assignments?after=7&wait_seconds=2&delta=true");
            assertThat(s.body()).isEmpty();
        });
    }

    @Test
    void aClientErrorIsThrownWithTheProblemsDetailAndNotTriedElsewhere() throws IOException {
        URI refusing = serve(r -> new Answer(404, "{\"title\":\"Not Found\",\"detail\":\"node n1 is not registered\"}"));
        URI other = serve(r -> new Answer(200, "{\"accepted\":1}"));

        assertThatThrownBy(() -> client(refusing, other).send("PUT", "/api/v1/agents/n1/status",
                new AgentProtocol.StatusReport(List.of(), List.of()), AgentProtocol.Accepted.class, TIMEOUT))
                .isInstanceOfSatisfying(ServerClient.ServerError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("node n1 is not registered");
                });
        assertThat(seen).hasSize(1);
    }

    @Test
    void aRefusedTokenOnARequestWithABodyShowsTheServersAnswer() throws IOException {
        URI uri = serve(r -> new Answer(401, "{\"detail\":\"the token was not accepted\"}"));

        assertThatThrownBy(() -> client(uri).send("PUT", "/api/v1/agents/n1/status",
                new AgentProtocol.StatusReport(List.of(), List.of()), AgentProtocol.Accepted.class, TIMEOUT))
                .isInstanceOfSatisfying(ServerClient.ServerError.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("the token was not accepted");
                });
    }

    @Test
    void aPostWithoutABodySaysSo() throws IOException {
        URI uri = serve(r -> new Answer(200, "{\"accepted\":0}"));

        client(uri).send("POST", "/a", null, AgentProtocol.Accepted.class, TIMEOUT);

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.body()).isEmpty();
        });
    }

    @Test
    void anErrorThatIsNotProblemJsonIsShownAsText() throws IOException {
        URI uri = serve(r -> new Answer(403, "forbidden here"));

        assertThatThrownBy(() -> client(uri).send("GET", "/x", null, AgentProtocol.Accepted.class, TIMEOUT))
                .isInstanceOf(ServerClient.ServerError.class).hasMessageContaining("forbidden here");
    }

    @Test
    void failsOverToTheNextServerAndStaysWithTheOneThatAnswered() throws IOException {
        URI down = nobodyListening();
        URI failing = serve(r -> new Answer(503, "{\"detail\":\"the state store is unavailable\"}"));
        URI healthy = serve(r -> new Answer(200, "{\"accepted\":2}"));
        ServerClient c = client(down, failing, healthy);

        assertThat(c.send("GET", "/a", null, AgentProtocol.Accepted.class, TIMEOUT).accepted()).isEqualTo(2);
        assertThat(c.send("GET", "/b", null, AgentProtocol.Accepted.class, TIMEOUT).accepted()).isEqualTo(2);

        // The failing server saw the first request only; the second went straight to the healthy one.
        assertThat(seen).extracting(Seen::path).containsExactly("/a", "/a", "/b");
    }

    @Test
    void whenEveryServerFailsTheLastFailureIsThrown() throws IOException {
        URI down = nobodyListening();
        URI failing = serve(r -> new Answer(503, "{\"detail\":\"the state store is unavailable\"}"));

        assertThatThrownBy(() -> client(down, failing).send("GET", "/a", null, AgentProtocol.Accepted.class, TIMEOUT))
                .isInstanceOfSatisfying(ServerClient.ServerError.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void successiveRequestsShareOneConnection() throws IOException {
        URI uri = serve(r -> new Answer(200, "{\"accepted\":1}"));
        ServerClient c = client(uri);

        for (int i = 0; i < 5; i++) c.send("GET", "/a", null, AgentProtocol.Accepted.class, TIMEOUT);
        c.send("PUT", "/b", new AgentProtocol.Accepted(1), AgentProtocol.Accepted.class, TIMEOUT);

        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        seen.forEach(s -> ports.add(s.remotePort()));
        assertThat(ports).hasSize(1);
    }

    @Test
    void closingEndsALongPollUnderWayAndRefusesNewRequests() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        URI uri = serve(r -> {
            arrived.countDown();
            never.await(); // a long-poll with nothing to say
            return new Answer(200, "{\"accepted\":0}");
        });
        ServerClient c = client(uri);
        CompletableFuture<Object> poll = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                poll.complete(c.send("GET", "/wait", null, AgentProtocol.Accepted.class, Duration.ofMinutes(5)));
            } catch (Throwable t) {
                poll.completeExceptionally(t);
            }
        });
        arrived.await();

        c.close();

        await().atMost(Duration.ofSeconds(30)).until(poll::isDone);
        assertThat(poll).isCompletedExceptionally();
        assertThatThrownBy(poll::join).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> c.send("GET", "/a", null, AgentProtocol.Accepted.class, TIMEOUT))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
        never.countDown();
    }
}
