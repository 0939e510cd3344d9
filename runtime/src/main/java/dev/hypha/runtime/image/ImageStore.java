package dev.hypha.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.runtime.CommandRunner;
import dev.hypha.runtime.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The node's image store: one OCI image layout under {@code DATA/images/layout}, whose
 * {@code index.json} names every image, plus unpacked root filesystems cached per manifest digest
 * under {@code DATA/images/rootfs}.
 *
 * <p>Why one shared layout: blobs are content-addressed, so two images that share a base layer
 * store it once, and {@code umoci}/{@code skopeo} read it as they are. Imports copy only the
 * blobs one manifest needs, verifying each blob's sha256 on the way in, so a truncated tarball
 * cannot poison the store. Each image is unpacked once per manifest digest ({@code umoci unpack},
 * about 100 ms for busybox and more for real images); containers then get the cached tree as the
 * lower layer of an overlay, or a {@code cp -a} copy of it where overlays are not available.
 * Cached trees still used by an overlay mount are kept when their image is replaced.
 *
 * <p>Thread-safe, and safe against other processes using the same directory: every change takes
 * {@link StoreLock}. Reading the list takes no lock (index.json is replaced atomically).
 */
public final class ImageStore {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** The OCI grammar for ref names (image-layout spec), which umoci also enforces for tags. */
    private static final Pattern NAME = Pattern.compile(
            "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final List<String> TRANSPORTS = List.of("docker://", "oci:", "oci-archive:", "docker-archive:",
            "dir:");

    private final ObjectMapper json = new ObjectMapper();
    private final Path directory;
    private final Path layout;
    private final Path rootfsCache;
    private final Path scratch;
    private final ImageTools tools;
    private final CommandRunner runner;
    private final StoreLock lock;

    /** A store under {@code directory} (usually DATA/images) using the tools found on this host. */
    public ImageStore(Path directory) {
        this(directory, ImageTools.fromPath());
    }

    public ImageStore(Path directory, ImageTools tools) {
        this.directory = directory.toAbsolutePath().normalize();
        if (this.directory.toString().contains(":")) {
            // umoci and skopeo take "path:tag" arguments and cut at the first ':'.
            throw new ImageStoreException("the image store directory " + this.directory
                    + " contains ':', which umoci and skopeo cannot address; choose another data directory");
        }
        this.layout = this.directory.resolve("layout");
        this.rootfsCache = this.directory.resolve("rootfs");
        this.scratch = this.directory.resolve("tmp");
        this.tools = tools;
        this.runner = new CommandRunner(scratch);
        this.lock = StoreLock.of(this.directory.resolve(".lock"));
    }

    public Path directory() {
        return directory;
    }

    /** The OCI image layout holding every image (readable by umoci and skopeo as {@code oci:PATH:NAME}). */
    public Path layout() {
        return layout;
    }

    public ImageTools tools() {
        return tools;
    }

    /**
     * Imports the image in an OCI image layout directory or an {@code oci-archive} tarball (plain
     * or compressed) under {@code name}, replacing an image of that name. When the layout holds
     * several images, the one whose ref name is {@code name} is taken; a single image is taken
     * whatever its ref name. A multi-platform index resolves to this machine's platform.
     */
    public Image importImage(Path source, String name) {
        validateName(name);
        if (!Files.exists(source)) throw new ImageStoreException("cannot import " + source + ": no such file or directory");
        Path extracted = null;
        try {
            Path sourceLayout = source;
            if (!Files.isDirectory(source)) {
                extracted = scratchDir("import");
                CommandRunner.Result r = runner.run(List.of(tools.tar().toString(), "-xf",
                        source.toAbsolutePath().toString(), "-C", extracted.toString()), tools.timeout());
                if (!r.ok()) {
                    throw new ImageStoreException("cannot import " + source + ": it is neither an OCI layout directory"
                            + " nor a readable tar archive (tar: " + r.message() + ")");
                }
                sourceLayout = extracted;
            }
            return importLayout(sourceLayout, name, source);
        } catch (IOException e) {
            throw new ImageStoreException("cannot import " + source + ": " + e.getMessage(), e);
        } finally {
            if (extracted != null) deleteTree(extracted);
        }
    }

    /**
     * Copies a registry (or any skopeo transport) image into the store under {@code name} with
     * {@code skopeo copy}; e.g. {@code pull("docker://registry.example/app:1.2", "app")}.
     */
    public Image pull(String reference, String name) {
        validateName(name);
        if (TRANSPORTS.stream().noneMatch(reference::startsWith)) {
            throw new ImageStoreException("'" + reference + "' is not an image reference skopeo can copy: write it"
                    + " with a transport, e.g. docker://registry.example/app:1.2 (or import a local layout)");
        }
        Path skopeo = tools.skopeo().orElseThrow(() -> new ImageStoreException("pulling " + reference
                + " needs skopeo, which is not installed: install it (apt-get install skopeo), or import an OCI"
                + " layout or oci-archive tarball instead"));
        Path work = null;
        try {
            work = scratchDir("pull");
            Path target = work.resolve("layout");
            CommandRunner.Result r = runner.run(List.of(skopeo.toString(), "copy", "--quiet", reference,
                    "oci:" + target + ":image"), tools.timeout());
            if (!r.ok()) {
                throw new ImageStoreException("skopeo could not copy " + reference + ": " + r.message());
            }
            return importLayout(target, name, Path.of(reference));
        } catch (IOException e) {
            throw new ImageStoreException("cannot pull " + reference + ": " + e.getMessage(), e);
        } catch (CommandRunner.CommandTimeout e) {
            throw new ImageStoreException("pulling " + reference + " took too long: " + e.getMessage(), e);
        } finally {
            if (work != null) deleteTree(work);
        }
    }

    /** Every image, by name. */
    public List<Image> list() {
        List<Image> images = new ArrayList<>();
        for (JsonNode d : readIndex().path("manifests")) {
            String name = d.path("annotations").path(REF_NAME).asText("");
            if (!name.isEmpty()) images.add(describe(name, d));
        }
        images.sort(Comparator.comparing(Image::name));
        return images;
    }

    public Optional<Image> find(String name) {
        for (JsonNode d : readIndex().path("manifests")) {
            if (name.equals(d.path("annotations").path(REF_NAME).asText(null))) return Optional.of(describe(name, d));
        }
        return Optional.empty();
    }

    /** The image named {@code name}, or a failure that says how to get it. */
    public Image resolve(String name) {
        return find(name).orElseThrow(() -> new ImageStoreException("image '" + name + "' is not in the image store at "
                + directory + ": import it (hypha image import PATH --name " + name + ")"
                + (name.equals(BusyboxImage.NAME) ? " or build it with BusyboxImage.ensure" : "")));
    }

    /** Removes the name; blobs and cached rootfs that no other image uses go too. Returns whether it existed. */
    public boolean remove(String name) {
        try (StoreLock.Held ignored = lock.acquire()) {
            ObjectNode index = readIndex();
            ArrayNode kept = json.createArrayNode();
            boolean found = false;
            for (JsonNode d : index.path("manifests")) {
                if (name.equals(d.path("annotations").path(REF_NAME).asText(null))) found = true;
                else kept.add(d);
            }
            if (!found) return false;
            index.set("manifests", kept);
            writeIndex(index);
            collectGarbage();
            return true;
        } catch (IOException e) {
            throw new ImageStoreException("cannot remove image '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * The image's unpacked root filesystem in the cache, unpacking it with umoci on first use. The
     * tree is shared: callers must not change it (copy it, or use it as an overlay's lower layer).
     */
    public Path cachedRootfs(Image image) {
        Path cached = rootfsCache.resolve(image.digestHex()).resolve("rootfs");
        if (!Files.isDirectory(cached)) unpack(image);
        return cached;
    }

    /**
     * Writes a private copy of the image's root filesystem to {@code target} (which must not exist
     * yet) with {@code cp -a}, which keeps owners, modes, hard links, device nodes and xattrs.
     */
    public void copyRootfs(Image image, Path target) {
        Path cached = cachedRootfs(image);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            CommandRunner.Result r = runner.run(List.of(tools.cp().toString(), "-a", "--reflink=auto",
                    cached.toString(), target.toAbsolutePath().toString()), tools.timeout());
            if (!r.ok()) {
                throw new ImageStoreException("cannot copy the root filesystem of image '" + image.name() + "' to "
                        + target + ": " + r.message());
            }
        } catch (IOException e) {
            throw new ImageStoreException("cannot copy the root filesystem of image '" + image.name() + "': "
                    + e.getMessage(), e);
        }
    }

    /** Unpacks one image into the cache with umoci, as root or (for another user) with --rootless. */
    private void unpack(Image image) {
        Path umoci = tools.requireUmoci("unpacking image '" + image.name() + "'");
        try (StoreLock.Held ignored = lock.acquire()) {
            Path done = rootfsCache.resolve(image.digestHex());
            if (Files.isDirectory(done.resolve("rootfs"))) return;
            Files.createDirectories(rootfsCache);
            Path partial = rootfsCache.resolve(image.digestHex() + ".partial-" + UUID.randomUUID());
            List<String> cmd = new ArrayList<>(List.of(umoci.toString(), "unpack"));
            if (!runningAsRoot()) cmd.add("--rootless");
            cmd.addAll(List.of("--image", "layout:" + image.name(), partial.toString()));
            try {
                CommandRunner.Result r = runner.run(cmd, tools.timeout(), directory);
                if (!r.ok()) {
                    throw new ImageStoreException("umoci could not unpack image '" + image.name() + "': " + r.message());
                }
                // umoci names its mtree after the manifest it unpacked: proof that the name still
                // pointed at this digest when it ran.
                if (!Files.exists(partial.resolve("sha256_" + image.digestHex() + ".mtree"))) {
                    throw new ImageStoreException("image '" + image.name() + "' was replaced while it was being"
                            + " unpacked; try again");
                }
                deleteTree(done);
                Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(partial);
            }
        } catch (IOException e) {
            throw new ImageStoreException("cannot unpack image '" + image.name() + "': " + e.getMessage(), e);
        }
    }

    /** Runs {@code body} holding the store's lock (used to make multi-step builds atomic). */
    <T> T locked(java.util.function.Supplier<T> body) {
        try (StoreLock.Held ignored = lock.acquire()) {
            return body.get();
        }
    }

    /** A fresh empty directory under the store's scratch area. */
    Path scratchDir(String purpose) throws IOException {
        Files.createDirectories(scratch);
        return Files.createTempDirectory(scratch, purpose + "-");
    }

    CommandRunner runner() {
        return runner;
    }

    // ---- importing ---------------------------------------------------------------------------

    private Image importLayout(Path source, String name, Path shownAs) throws IOException {
        if (!Files.isRegularFile(source.resolve("oci-layout")) || !Files.isRegularFile(source.resolve("index.json"))) {
            throw new ImageStoreException("cannot import " + shownAs + ": it is not an OCI image layout (no oci-layout"
                    + " and index.json at its top)");
        }
        JsonNode sourceIndex = readJson(source.resolve("index.json"));
        JsonNode chosen = chooseManifest(source, sourceIndex, name, shownAs);
        String digest = chosen.path("digest").asText();
        JsonNode manifest = readJson(blobPath(source, digest, shownAs));
        JsonNode config = manifest.path("config");
        if (!config.isObject()) {
            throw new ImageStoreException("cannot import " + shownAs + ": manifest " + digest + " has no config");
        }
        try (StoreLock.Held ignored = lock.acquire()) {
            ensureLayout();
            copyBlob(source, digest, chosen.path("size").asLong(-1), shownAs);
            copyBlob(source, config.path("digest").asText(), config.path("size").asLong(-1), shownAs);
            for (JsonNode layer : manifest.path("layers")) {
                copyBlob(source, layer.path("digest").asText(), layer.path("size").asLong(-1), shownAs);
            }
            ObjectNode index = readIndex();
            ArrayNode manifests = json.createArrayNode();
            for (JsonNode d : index.path("manifests")) {
                if (!name.equals(d.path("annotations").path(REF_NAME).asText(null))) manifests.add(d);
            }
            ObjectNode descriptor = json.createObjectNode();
            String mediaType = chosen.path("mediaType").asText(manifest.path("mediaType").asText(OCI_MANIFEST));
            descriptor.put("mediaType", mediaType);
            descriptor.put("digest", digest);
            descriptor.put("size", Files.size(blobPath(layout, digest, shownAs)));
            descriptor.putObject("annotations").put(REF_NAME, name);
            manifests.add(descriptor);
            index.set("manifests", manifests);
            writeIndex(index);
            collectGarbage();
            return describe(name, descriptor);
        }
    }

    /** The manifest descriptor to import: by ref name, or the only one; an index resolves to this platform. */
    private JsonNode chooseManifest(Path source, JsonNode index, String name, Path shownAs) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        index.path("manifests").forEach(all::add);
        if (all.isEmpty()) throw new ImageStoreException("cannot import " + shownAs + ": its index.json lists no image");
        JsonNode chosen = null;
        for (JsonNode d : all) {
            if (name.equals(d.path("annotations").path(REF_NAME).asText(null))) chosen = d;
        }
        if (chosen == null && all.size() == 1) chosen = all.getFirst();
        if (chosen == null) {
            List<String> names = all.stream().map(d -> d.path("annotations").path(REF_NAME).asText("(unnamed)")).toList();
            throw new ImageStoreException("cannot import " + shownAs + ": it holds " + all.size() + " images ("
                    + String.join(", ", names) + ") and none is named '" + name + "'; import it under one of those names");
        }
        String type = chosen.path("mediaType").asText("");
        if (type.equals(OCI_INDEX) || type.equals(DOCKER_LIST)) {
            JsonNode nested = readJson(blobPath(source, chosen.path("digest").asText(), shownAs));
            return choosePlatform(nested, shownAs);
        }
        if (!type.isEmpty() && !type.equals(OCI_MANIFEST) && !type.equals(DOCKER_MANIFEST)) {
            throw new ImageStoreException("cannot import " + shownAs + ": unsupported manifest media type " + type);
        }
        return chosen;
    }

    private static JsonNode choosePlatform(JsonNode index, Path shownAs) {
        String arch = ociArchitecture();
        List<JsonNode> manifests = new ArrayList<>();
        index.path("manifests").forEach(manifests::add);
        for (JsonNode d : manifests) {
            JsonNode p = d.path("platform");
            if (p.path("os").asText("linux").equals("linux") && p.path("architecture").asText("").equals(arch)) return d;
        }
        if (manifests.size() == 1) return manifests.getFirst();
        throw new ImageStoreException("cannot import " + shownAs + ": it has no image for linux/" + arch);
    }

    /** Java's os.arch in the OCI (Go) spelling. */
    static String ociArchitecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch;
        };
    }

    /** Copies one blob into the store, verifying its digest (and size when known); present blobs are kept. */
    private void copyBlob(Path sourceLayout, String digest, long size, Path shownAs) throws IOException {
        Path from = blobPath(sourceLayout, digest, shownAs);
        Path to = blobPath(layout, digest, shownAs);
        if (Files.exists(to)) return;
        if (!Files.isRegularFile(from)) {
            throw new ImageStoreException("cannot import " + shownAs + ": blob " + digest + " is missing from the layout");
        }
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp-" + UUID.randomUUID());
        MessageDigest sha = sha256();
        long copied = 0;
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                copied += n;
            }
        }
        try {
            String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(digest)) {
                throw new ImageStoreException("cannot import " + shownAs + ": blob " + digest + " is corrupt (its content"
                        + " hashes to " + actual + ")");
            }
            if (size >= 0 && copied != size) {
                throw new ImageStoreException("cannot import " + shownAs + ": blob " + digest + " has " + copied
                        + " bytes, its descriptor says " + size);
            }
            moveAtomically(tmp, to);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path blobPath(Path layoutDir, String digest, Path shownAs) {
        if (!SHA256.matcher(digest).matches()) {
            throw new ImageStoreException("cannot use " + shownAs + ": digest '" + digest + "' is not a sha256 digest");
        }
        return layoutDir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    // ---- reading -----------------------------------------------------------------------------

    private Image describe(String name, JsonNode descriptor) {
        String digest = descriptor.path("digest").asText();
        try {
            JsonNode manifest = readJson(blobPath(layout, digest, layout));
            JsonNode configDescriptor = manifest.path("config");
            JsonNode config = readJson(blobPath(layout, configDescriptor.path("digest").asText(), layout));
            long size = descriptor.path("size").asLong(0) + configDescriptor.path("size").asLong(0);
            for (JsonNode layer : manifest.path("layers")) size += layer.path("size").asLong(0);
            return new Image(name, digest, size, instant(config.path("created").asText(null)),
                    ImageConfig.fromBlob(config));
        } catch (IOException e) {
            throw new ImageStoreException("image '" + name + "' is damaged in the store at " + layout + ": "
                    + e.getMessage() + "; import it again", e);
        }
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private ObjectNode readIndex() {
        Path index = layout.resolve("index.json");
        try {
            JsonNode node = readJson(index);
            if (!(node instanceof ObjectNode o)) throw new IOException("index.json is not a JSON object");
            return o;
        } catch (NoSuchFileException e) {
            ObjectNode empty = json.createObjectNode();
            empty.put("schemaVersion", 2);
            empty.putArray("manifests");
            return empty;
        } catch (IOException e) {
            throw new ImageStoreException("cannot read the image store index " + index + ": " + e.getMessage(), e);
        }
    }

    private JsonNode readJson(Path file) throws IOException {
        try {
            return json.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.FileNotFoundException e) {
            throw new NoSuchFileException(file.toString());
        }
    }

    // ---- writing -----------------------------------------------------------------------------

    private void ensureLayout() throws IOException {
        Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
        Path marker = layout.resolve("oci-layout");
        if (!Files.exists(marker)) writeAtomically(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    }

    private void writeIndex(ObjectNode index) throws IOException {
        ensureLayout();
        writeAtomically(layout.resolve("index.json"), json.writeValueAsBytes(index));
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.write(tmp, bytes);
            moveAtomically(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes blobs no named manifest uses, and cached rootfs trees of digests no longer named. Lock held. */
    private void collectGarbage() throws IOException {
        Set<String> blobs = new HashSet<>();
        Set<String> manifests = new HashSet<>();
        for (JsonNode d : readIndex().path("manifests")) {
            String digest = d.path("digest").asText();
            manifests.add(hex(digest));
            blobs.add(hex(digest));
            JsonNode manifest = readJson(blobPath(layout, digest, layout));
            blobs.add(hex(manifest.path("config").path("digest").asText()));
            for (JsonNode layer : manifest.path("layers")) blobs.add(hex(layer.path("digest").asText()));
        }
        Path blobDir = layout.resolve("blobs").resolve("sha256");
        if (Files.isDirectory(blobDir)) {
            try (DirectoryStream<Path> all = Files.newDirectoryStream(blobDir)) {
                for (Path blob : all) {
                    if (!blobs.contains(blob.getFileName().toString())) Files.deleteIfExists(blob);
                }
            }
        }
        if (Files.isDirectory(rootfsCache)) {
            Set<Path> inUse = overlayLowerDirs();
            try (DirectoryStream<Path> all = Files.newDirectoryStream(rootfsCache)) {
                for (Path tree : all) {
                    String n = tree.getFileName().toString();
                    if (n.contains(".partial-")) continue; // an unpack in progress in another process
                    // A running container of the old image may still have this tree as its overlay's
                    // lower layer; it is collected on a later change once that container is gone.
                    if (inUse.stream().anyMatch(p -> p.startsWith(tree))) continue;
                    if (!manifests.contains(n)) deleteTree(tree);
                }
            }
        }
    }

    /** Every lower directory of every overlay mounted on this host (from /proc/self/mountinfo). */
    static Set<Path> overlayLowerDirs() {
        Set<Path> dirs = new HashSet<>();
        String mountinfo;
        try {
            mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return dirs;
        }
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - overlay ");
            if (dash < 0) continue;
            for (String option : line.substring(dash).split(",")) {
                int at = option.indexOf("lowerdir=");
                if (at < 0) continue;
                for (String dir : option.substring(at + "lowerdir=".length()).split(":")) {
                    if (!dir.isEmpty()) dirs.add(Path.of(dir.replace("\\040", " ")));
                }
            }
        }
        return dirs;
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }

    // ---- helpers -----------------------------------------------------------------------------

    static void validateName(String name) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw new ImageStoreException("image name '" + name + "' is not valid: use letters, digits and '.', '_',"
                    + " '-', ':', '+', '@' between them and '/' between parts, e.g. busybox or library/app:1.2");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static void deleteTree(Path root) {
        FileTrees.delete(root);
    }
}
