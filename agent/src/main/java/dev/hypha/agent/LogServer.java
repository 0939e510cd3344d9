package dev.hypha.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Serves the containers' log files to the servers ({@code GET /logs/<instance>[?follow=true]}),
 * which proxy them to users. Only requests with the cluster's join token are answered.
 */
final class LogServer implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,80}");

    private final HttpServer server;
    private final Path logDir;
    private final byte[] token;
    private final BooleanSupplier running;

    LogServer(String host, Path logDir, String token, BooleanSupplier running) throws IOException {
        this.logDir = logDir;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.running = running;
        this.server = HttpServer.create(new InetSocketAddress(host, 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/logs/", this::handle);
        server.start();
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    static Path logFile(Path logDir, String instanceId) {
        return logDir.resolve(instanceId + ".log");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String id = ex.getRequestURI().getPath().substring("/logs/".length());
            Path file = logFile(logDir, id);
            if (!ID.matcher(id).matches() || !Files.exists(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            boolean follow = "follow=true".equals(ex.getRequestURI().getQuery());
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                byte[] buf = new byte[8192];
                while (true) {
                    int n = in.read(buf);
                    if (n > 0) {
                        out.write(buf, 0, n);
                        continue;
                    }
                    if (!follow || !running.getAsBoolean() || !Files.exists(file)) break;
                    out.flush();
                    Thread.sleep(250); // tail -f: poll the file for new output
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The reader went away (Ctrl-C on `hypha logs -f`): nothing to do.
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
