package dev.hypha.cli.roles;

import dev.hypha.cli.CliContext;
import dev.hypha.cli.client.Endpoint;
import dev.hypha.server.HyphaServer;
import java.nio.file.Path;

/** The "where is everything" lines that {@code up} and {@code server} print on start. */
final class Up {
    private Up() {}

    static String where(HyphaServer server, Path dataDir, CliContext context) {
        String api = server.apiUrl().toString().replaceAll("/+$", "");
        StringBuilder sb = new StringBuilder();
        sb.append("  API:        ").append(api).append('\n');
        sb.append("  Token:      ").append(server.adminTokenFile()).append('\n');
        sb.append("  Data:       ").append(dataDir).append('\n');
        // The client verbs find a local cluster by itself only at the default URL and token file.
        boolean defaultUrl = api.equals(Endpoint.LOCAL_SERVER.toString());
        boolean defaultToken = server.adminTokenFile().toAbsolutePath().normalize()
                .equals(context.home().resolve(".hypha").resolve("admin.token").toAbsolutePath().normalize());
        if (!defaultUrl || !defaultToken) {
            sb.append("Point the client at it with:\n");
            if (!defaultUrl) sb.append("  export HYPHA_SERVER=").append(api).append('\n');
            if (!defaultToken) sb.append("  export HYPHA_TOKEN=$(cat ").append(server.adminTokenFile()).append(")\n");
        }
        return sb.toString();
    }
}
