package dev.hypha.cli.client;

import dev.hypha.cli.CliException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The server a client verb talks to and the token it sends, with where each came from (so an
 * error can say "the token read from /root/.hypha/admin.token was refused").
 *
 * <p>Resolution, first match wins: the {@code --server}/{@code --token} flags; the
 * {@code HYPHA_SERVER}/{@code HYPHA_TOKEN} environment variables; the local default
 * {@code http://127.0.0.1:7070} and {@code $HOME/.hypha/admin.token}.
 *
 * @param token       the bearer token, or null when none was found
 * @param tokenSource where the token came from, or, without one, where it was looked for
 */
public record Endpoint(URI server, String serverSource, String token, String tokenSource) {
    public static final URI LOCAL_SERVER = URI.create("http://127.0.0.1:7070");

    /**
     * Resolves the endpoint. A malformed {@code serverFlag} is the caller's to report as a usage
     * error: this throws {@link IllegalArgumentException} for it; a malformed environment value
     * is a {@link CliException}.
     */
    public static Endpoint resolve(String serverFlag, String tokenFlag, Map<String, String> env, Path home) {
        URI server;
        String serverSource;
        if (serverFlag != null) {
            server = parseServer(serverFlag, "--server");
            serverSource = "the --server flag";
        } else if (present(env.get("HYPHA_SERVER"))) {
            try {
                server = parseServer(env.get("HYPHA_SERVER"), "HYPHA_SERVER");
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            serverSource = "HYPHA_SERVER";
        } else {
            server = LOCAL_SERVER;
            serverSource = "the local default";
        }

        Path tokenFile = home.resolve(".hypha").resolve("admin.token");
        if (tokenFlag != null) {
            if (tokenFlag.isBlank()) throw new IllegalArgumentException("--token is empty");
            return new Endpoint(server, serverSource, tokenFlag.strip(), "the --token flag");
        }
        if (present(env.get("HYPHA_TOKEN"))) {
            return new Endpoint(server, serverSource, env.get("HYPHA_TOKEN").strip(), "HYPHA_TOKEN");
        }
        if (Files.isRegularFile(tokenFile)) {
            try {
                String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) throw new CliException("the token file " + tokenFile + " is empty");
                return new Endpoint(server, serverSource, token, tokenFile.toString());
            } catch (IOException e) {
                throw new CliException("cannot read the token file " + tokenFile + ": " + e.getMessage(), e);
            }
        }
        return new Endpoint(server, serverSource, null, "--token, HYPHA_TOKEN and " + tokenFile);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    public static URI parseServer(String text, String source) {
        String trimmed = text.strip();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        try {
            URI uri = new URI(trimmed);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(source + " '" + text
                        + "' is not a server URL: expected http://HOST:PORT or https://HOST:PORT");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " '" + text + "' is not a URL: " + e.getReason());
        }
    }

    /** Whether a token was found. */
    public boolean hasToken() {
        return token != null;
    }
}
