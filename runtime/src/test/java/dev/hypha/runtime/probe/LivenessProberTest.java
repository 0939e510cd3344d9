package dev.hypha.runtime.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.hypha.runtime.ExecResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP and HTTP checks against servers on 127.0.0.1; exec checks against a scripted exec. */
class LivenessProberTest {
    private static final ContainerExec NO_EXEC = (id, cmd, timeout) -> {
        throw new AssertionError("no exec expected");
    };

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcpIsHealthyWhileSomethingListens() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             LivenessProber prober = new LivenessProber(NO_EXEC)) {
            assertThat(prober.probe("c", LivenessCheck.tcp(server.getLocalPort())).healthy()).isTrue();
        }
        try (LivenessProber prober = new LivenessProber(NO_EXEC)) {
            ProbeResult r = prober.probe("c", LivenessCheck.tcp(freePort()));
            assertThat(r.healthy()).isFalse();
            assertThat(r.detail()).contains("cannot connect to 127.0.0.1:");
        }
    }

    @Test
    void httpCountsTwoHundredsAndThreeHundredsAsHealthy() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", x -> { x.sendResponseHeaders(200, -1); x.close(); });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/ok");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/broken", x -> { x.sendResponseHeaders(503, -1); x.close(); });
        server.start();
        int port = server.getAddress().getPort();
        // A generous timeout: the first request of a JVM loads the HTTP client, and the machine is shared.
        Duration patient = Duration.ofSeconds(10);
        try (LivenessProber prober = new LivenessProber(NO_EXEC)) {
            assertThat(prober.probe("c", http(port, "/ok", patient)).detail()).isEqualTo(
                    "GET http://127.0.0.1:" + port + "/ok answered 200");
            assertThat(prober.probe("c", http(port, "/ok", patient)).healthy()).isTrue();
            assertThat(prober.probe("c", http(port, "/moved", patient)).detail()).contains("answered 302");
            ProbeResult broken = prober.probe("c", http(port, "/broken", patient));
            assertThat(broken.healthy()).isFalse();
            assertThat(broken.detail()).contains("answered 503");
        } finally {
            server.stop(0);
        }
        try (LivenessProber prober = new LivenessProber(NO_EXEC)) {
            assertThat(prober.probe("c", LivenessCheck.http(freePort(), "/")).detail()).contains("failed");
        }
    }

    private static LivenessCheck.Http http(int port, String path, Duration timeout) {
        return new LivenessCheck.Http(port, path, Duration.ofSeconds(10), timeout, 3);
    }

    @Test
    void execPassesTheCommandAndTimeoutAndReadsTheResult() {
        List<String> seen = new ArrayList<>();
        ContainerExec scripted = (id, cmd, timeout) -> {
            seen.add(id + " " + String.join(" ", cmd) + " " + timeout.toMillis());
            return switch (cmd.getFirst()) {
                case "ok" -> new ExecResult(0, "", "", false);
                case "fail" -> new ExecResult(2, "", "disk full\n", false);
                default -> new ExecResult(-1, "", "", true);
            };
        };
        try (LivenessProber prober = new LivenessProber(scripted)) {
            Duration t = Duration.ofMillis(750);
            assertThat(prober.probe("web-1", new LivenessCheck.Exec(List.of("ok"), Duration.ofSeconds(5), t, 1)).healthy())
                    .isTrue();
            assertThat(prober.probe("web-1", new LivenessCheck.Exec(List.of("fail"), Duration.ofSeconds(5), t, 1)).detail())
                    .isEqualTo("'fail' exited 2: disk full");
            assertThat(prober.probe("web-1", new LivenessCheck.Exec(List.of("hang"), Duration.ofSeconds(5), t, 1)).detail())
                    .isEqualTo("'hang' did not finish within 750 ms");
        }
        assertThat(seen).containsExactly("web-1 ok 750", "web-1 fail 750", "web-1 hang 750");
    }

    @Test
    void checksValidateTheirSettingsAndCountFailures() {
        assertThat(LivenessCheck.tcp(80).exceeded(2)).isFalse();
        assertThat(LivenessCheck.tcp(80).exceeded(3)).isTrue();
        assertThat(LivenessCheck.http(80, "/healthz").period()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> LivenessCheck.tcp(0)).hasMessageContaining("port");
        assertThatThrownBy(() -> LivenessCheck.http(80, "healthz")).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> LivenessCheck.exec()).hasMessageContaining("needs a command");
        assertThatThrownBy(() -> new LivenessCheck.Tcp(80, Duration.ZERO, Duration.ofSeconds(1), 1))
                .hasMessageContaining("period");
        assertThatThrownBy(() -> new LivenessCheck.Tcp(80, Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("threshold");
    }
}
