package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.agent.NodeIdentity;
import dev.hypha.cli.CliContext;
import dev.hypha.cli.CliException;
import dev.hypha.cli.output.Fields;
import dev.hypha.cli.output.OutputFormat;
import dev.hypha.cli.output.Printer;
import dev.hypha.cli.output.Table;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import dev.hypha.model.Validation;
import dev.hypha.runtime.image.Image;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.runtime.image.ImageStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hypha image …}: the OCI images of this machine's node. Images live in each agent's own
 * store ({@code AGENT_DATA/images}), where the runtime unpacks them, so these verbs work on the
 * local store directly, not through the API: import on every node that should run the image.
 */
@Command(name = "image", description = {"List and import the images of this machine's node.",
        "Works on the node's local image store (DATA/agent-<node-id>/images), not through the API."},
        subcommands = {ImageCommand.ListImages.class, ImageCommand.Import.class})
public final class ImageCommand {
    /** Registry references go through skopeo; anything else is a path. */
    private static final Pattern TRANSPORT = Pattern.compile("^(docker|docker-archive|oci|oci-archive|dir)://?.*|^(oci|oci-archive|dir):.*");

    /** Which node's store, and how to print. */
    public static final class StoreOptions {
        private final CliContext context;

        @Spec(Spec.Target.MIXEE)
        private CommandSpec mixee;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The agent's data dir (default: ~/.hypha/agent-<node-id>, as 'hypha up' makes it).")
        private Path dataDir;

        @Option(names = "--node-id", paramLabel = "ID", description = "The node whose store to use (default: this host's node id).")
        private String nodeId;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "Output format: table (default), json or yaml.")
        private OutputFormat output;

        public StoreOptions(CliContext context) {
            this.context = context;
        }

        Path directory() {
            if (dataDir != null) return dataDir.toAbsolutePath().normalize().resolve("images");
            String id;
            try {
                id = nodeId == null ? NodeIdentity.defaultNodeId() : Validation.name("--node-id", nodeId);
            } catch (InvalidSpecException e) {
                throw new ParameterException(mixee.commandLine(), e.getMessage());
            }
            return context.defaultDataDir().resolve("agent-" + id).resolve("images").toAbsolutePath().normalize();
        }

        ImageStore store() {
            try {
                return new ImageStore(directory());
            } catch (ImageStoreException e) {
                throw new CliException(e.getMessage(), e);
            }
        }

        Printer printer() {
            return new Printer(context.out(), output);
        }
    }

    static ObjectNode json(Image image) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("name", image.name());
        o.put("digest", image.digest());
        o.put("size_bytes", image.sizeBytes());
        if (image.created() != null) o.put("created", image.created().toString());
        o.set("config", Json.mapper().valueToTree(image.config()));
        return o;
    }

    /** Bytes as a person reads them: 812B, 1.4MiB. */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    static String table(JsonNode images, java.time.Instant now) {
        if (images.isEmpty()) return "No images.\n";
        Table t = Table.of("name", "digest", "size", "created");
        for (JsonNode i : images) {
            String digest = Fields.cell(i, "digest");
            String shortDigest = digest.startsWith("sha256:") && digest.length() > 19 ? digest.substring(0, 19) : digest;
            t.row(Fields.cell(i, "name"), shortDigest, size(Fields.number(i, 0, "size_bytes")),
                    Fields.text(i, "created") == null ? "-" : Fields.age(i, now, "created") + " ago");
        }
        return t.render();
    }

    @Command(name = "list", description = "List the images in this node's store.")
    static final class ListImages implements Callable<Integer> {
        private final CliContext context;
        @Mixin StoreOptions store;

        ListImages(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ArrayNode out = Json.mapper().createArrayNode();
            if (Files.isDirectory(store.directory())) {
                try {
                    for (Image i : store.store().list()) out.add(json(i));
                } catch (ImageStoreException e) {
                    throw new CliException(e.getMessage(), e);
                }
            }
            store.printer().print(out, l -> table(l, context.clock().instant()));
            return 0;
        }
    }

    @Command(name = "import", description = {"Import an image into this node's store:",
            "an OCI layout directory, an oci-archive tarball (.tar, .tar.gz), or with skopeo a",
            "reference such as docker://registry.example/app:1.2."})
    static final class Import implements Callable<Integer> {
        @Mixin StoreOptions store;

        @Parameters(index = "0", paramLabel = "PATH", description = "Layout directory, archive, or transport:reference.")
        String source;

        @Option(names = "--name", paramLabel = "NAME",
                description = "Name to run it by, as in --image NAME (default: from PATH, e.g. app.tar → app).")
        String name;

        @Override
        public Integer call() {
            String imageName = name != null ? name : defaultName(source);
            ImageStore images = store.store();
            Image imported;
            try {
                imported = TRANSPORT.matcher(source).matches()
                        ? images.pull(source, imageName)
                        : images.importImage(Path.of(source), imageName);
            } catch (ImageStoreException e) {
                throw new CliException(e.getMessage(), e);
            }
            store.printer().result("image", imported.name(), "imported (" + imported.digest() + ")", json(imported));
            return 0;
        }
    }

    /** {@code /x/app.tar.gz} → {@code app}; {@code docker://registry/team/app:1.2} → {@code app:1.2}. */
    static String defaultName(String source) {
        String s = source.replaceAll("/+$", "");
        int slash = s.lastIndexOf('/');
        String last = slash >= 0 ? s.substring(slash + 1) : s;
        if (!TRANSPORT.matcher(source).matches()) {
            for (String suffix : List.of(".tar.gz", ".tgz", ".tar.zst", ".tar.xz", ".tar", ".oci")) {
                if (last.endsWith(suffix)) {
                    last = last.substring(0, last.length() - suffix.length());
                    break;
                }
            }
        } else if (slash < 0) {
            last = last.substring(last.indexOf(':') + 1);
        }
        return last.toLowerCase(Locale.ROOT);
    }
}
