package dev.hypha.runtime.probe;

import dev.hypha.runtime.ExecResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Objects;

/**
 * Runs one {@link LivenessCheck} against one container and says whether it passed.
 *
 * <p>Exec checks go through {@code runc exec}; TCP and HTTP checks connect to 127.0.0.1, which
 * reaches the container because it shares the host's network namespace. A check never waits
 * longer than its timeout (plus process start-up for exec). Counting consecutive failures
 * against the threshold is the caller's job. Thread-safe; close it to release the HTTP client.
 */
public final class LivenessProber implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final ContainerExec exec;
    private final HttpClient http;

    public LivenessProber(ContainerExec exec) {
        this.exec = Objects.requireNonNull(exec, "exec");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public ProbeResult probe(String containerId, LivenessCheck check) {
        return switch (check) {
            case LivenessCheck.Exec e -> exec(containerId, e);
            case LivenessCheck.Tcp t -> tcp(t);
            case LivenessCheck.Http h -> http(h);
        };
    }

    private ProbeResult exec(String containerId, LivenessCheck.Exec check) {
        ExecResult r = exec.exec(containerId, check.command(), check.timeout());
        String command = String.join(" ", check.command());
        if (r.timedOut()) {
            return new ProbeResult.Unhealthy("'" + command + "' did not finish within " + check.timeout().toMillis() + " ms");
        }
        if (r.exitCode() == 0) return new ProbeResult.Healthy("'" + command + "' exited 0");
        String output = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        return new ProbeResult.Unhealthy("'" + command + "' exited " + r.exitCode()
                + (output.isEmpty() ? "" : ": " + output));
    }

    private static ProbeResult tcp(LivenessCheck.Tcp check) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, check.port()), timeoutMillis(check));
            return new ProbeResult.Healthy("connected to " + HOST + ":" + check.port());
        } catch (IOException e) {
            return new ProbeResult.Unhealthy("cannot connect to " + HOST + ":" + check.port() + ": " + e.getMessage());
        }
    }

    private ProbeResult http(LivenessCheck.Http check) {
        URI uri = URI.create("http://" + HOST + ":" + check.port() + check.path());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(check.timeout()).GET()
                .header("User-Agent", "hypha-liveness").build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 400) return new ProbeResult.Healthy("GET " + uri + " answered " + status);
            return new ProbeResult.Unhealthy("GET " + uri + " answered " + status);
        } catch (HttpTimeoutException e) {
            return new ProbeResult.Unhealthy("GET " + uri + " did not answer within " + check.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return new ProbeResult.Unhealthy("GET " + uri + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult.Unhealthy("GET " + uri + " was interrupted");
        }
    }

    private static int timeoutMillis(LivenessCheck check) {
        return (int) Math.clamp(check.timeout().toMillis(), 1, Integer.MAX_VALUE);
    }

    @Override
    public void close() {
        http.close();
    }
}
