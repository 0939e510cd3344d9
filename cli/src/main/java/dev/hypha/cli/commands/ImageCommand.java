package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Table;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hypha image list | import PATH}: the images the nodes keep. Images live on each node (in
 * its agent's image store); the server asks every alive node, or the one named with {@code --node}.
 */
@Command(name = "image", description = "List and import container images on the nodes.",
        subcommands = {ImageCommand.ListImages.class, ImageCommand.ImportImage.class})
public final class ImageCommand {
    @Command(name = "list", description = "List the images on every alive node.")
    static final class ListImages implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Option(names = "--node", paramLabel = "ID", description = "Only this node.")
        String node;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                String q = node == null ? "" : "?node=" + ApiClient.segment(node);
                client.printer().print(api.get("/api/v1/images" + q), ImageCommand::table);
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Import an OCI image layout directory or oci-archive tarball (a path on"
            + " the node), or pull a registry reference such as docker://registry.example/app:1.2 (needs skopeo).")
    static final class ImportImage implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(paramLabel = "PATH", description = "Layout directory, oci-archive tarball, or transport:reference.")
        String source;

        @Option(names = "--name", paramLabel = "NAME", description = "Name to store it under (default: the file name).")
        String name;

        @Option(names = "--node", paramLabel = "ID", description = "Import on this node only (default: every alive node).")
        String node;

        @Override
        public Integer call() {
            String src = source.contains("://") ? source : Path.of(source).toAbsolutePath().normalize().toString();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("source", src);
            body.put("name", name != null ? name : defaultName(source));
            if (node != null) body.put("node_id", node);
            try (ApiClient api = client.client()) {
                client.printer().print(api.post("/api/v1/images", body), ImageCommand::table);
            }
            return 0;
        }
    }

    /** "./images/My_App.tar.gz" → "my-app"; a registry reference's last path element without its tag. */
    static String defaultName(String source) {
        String last = source.replaceAll("/+$", "");
        last = last.substring(last.lastIndexOf('/') + 1);
        last = last.replaceFirst("(:[^:]*)$", "").replaceFirst("\\.(tar\\.gz|tgz|tar|oci)$", "");
        String n = last.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-")
                .replaceAll("^-|-$", "");
        return n.isEmpty() || !Character.isLetter(n.charAt(0)) ? "image-" + n : n;
    }

    static String table(JsonNode images) {
        Table t = Table.of("NODE", "NAME", "DIGEST", "SIZE", "CREATED");
        for (JsonNode i : images) {
            String digest = i.path("digest").asText();
            t.row(i.path("node_id").asText(), i.path("name").asText(),
                    digest.length() > 19 ? digest.substring(0, 19) : digest,
                    (i.path("size_bytes").asLong() / 1024) + "Ki", i.path("created").asText());
        }
        return t.render();
    }
}
