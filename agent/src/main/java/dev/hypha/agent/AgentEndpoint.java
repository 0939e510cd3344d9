package dev.hypha.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hypha.model.Json;
import dev.hypha.runtime.image.Image;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.runtime.image.ImageStoreException;
import java.io.IOException;
import java.util.Map;
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
 * The agent's small HTTP endpoint for the servers, which proxy it to users: container logs
 * ({@code GET /logs/<instance>[?follow=true]}) and the node's image store ({@code GET /images},
 * {@code POST /images} with {@code {"source": PATH-or-REFERENCE, "name": NAME}}). Only requests
 * with the cluster's join token are answered.
 */
final class AgentEndpoint implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,80}");

    private final HttpServer server;
    private final Path logDir;
    private final byte[] token;
    private final BooleanSupplier running;

    private final ImageStore images;

    AgentEndpoint(String host, Path logDir, ImageStore images, String token, BooleanSupplier running) throws IOException {
        this.logDir = logDir;
        this.images = images;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.running = running;
        this.server = HttpServer.create(new InetSocketAddress(host, 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/logs/", this::handle);
        server.createContext("/images", this::images);
        server.start();
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    static Path logFile(Path logDir, String instanceId) {
        return logDir.resolve(instanceId + ".log");
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
            ex.sendResponseHeaders(401, -1);
            return false;
        }
        return true;
    }

    /** One image as the API shows it. */
    record ImageView(String name, String digest, long sizeBytes, java.time.Instant created) {
        static ImageView of(Image i) {
            return new ImageView(i.name(), i.digest(), i.sizeBytes(), i.created());
        }
    }

    /** {@code POST /images}: import a layout/archive path on this node, or pull a registry reference. */
    record ImportRequest(String source, String name) {}

    private void images(HttpExchange ex) throws IOException {
        try (ex) {
            if (!authorized(ex)) return;
            if (images == null) {
                reply(ex, 422, Map.of("detail", "this node's runtime keeps no images (it is the fake runtime)"));
                return;
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> reply(ex, 200, images.list().stream().map(ImageView::of).toList());
                case "POST" -> {
                    ImportRequest req;
                    try {
                        req = Json.mapper().readValue(ex.getRequestBody().readNBytes(64 * 1024), ImportRequest.class);
                    } catch (IOException e) {
                        reply(ex, 400, Map.of("detail", "malformed import request: " + e.getMessage()));
                        return;
                    }
                    try {
                        Image img = req.source().contains("://") ? images.pull(req.source(), req.name())
                                : images.importImage(Path.of(req.source()), req.name());
                        reply(ex, 200, ImageView.of(img));
                    } catch (ImageStoreException | IllegalArgumentException e) {
                        reply(ex, 422, Map.of("detail", e.getMessage()));
                    }
                }
                default -> ex.sendResponseHeaders(405, -1);
            }
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = Json.bytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!authorized(ex)) return;
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
