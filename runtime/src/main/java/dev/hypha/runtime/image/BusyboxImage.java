package dev.hypha.runtime.image;

import dev.hypha.runtime.CommandRunner;
import dev.hypha.runtime.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in {@code busybox} image, made on the node from the host's statically linked busybox.
 *
 * <p>Why build instead of pull: a cluster must be able to run something without a registry, and
 * busybox-static is one Debian package (TOOLCHAIN.md). The image is one layer with
 * {@code /bin/busybox}, a symlink in {@code /bin} for each applet (what {@code busybox --install
 * -s /bin} makes), a minimal {@code /etc/passwd} and {@code /etc/group}, and a sticky
 * {@code /tmp}; its config runs {@code sh} with a standard PATH. Building takes about a second
 * with umoci; when the store already has the image, {@link #ensure} only reads its index.
 */
public final class BusyboxImage {
    public static final String NAME = "busybox";
    private static final List<Path> CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"),
            Path.of("/usr/local/bin/busybox"));
    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private BusyboxImage() {}

    /** The store's busybox image, built from the first static busybox on this host if it is missing. */
    public static Image ensure(ImageStore store) {
        Optional<Image> existing = store.find(NAME);
        if (existing.isPresent()) return existing.get();
        return ensure(store, hostBusybox());
    }

    /** The store's busybox image, built from {@code busybox} (a static executable) if it is missing. */
    public static Image ensure(ImageStore store, Path busybox) {
        Optional<Image> existing = store.find(NAME);
        if (existing.isPresent()) return existing.get();
        // Hold the store lock across check-build-import so that two agents on one data directory
        // build it once.
        return store.locked(() -> store.find(NAME).orElseGet(() -> build(store, busybox)));
    }

    private static Path hostBusybox() {
        for (Path p : CANDIDATES) {
            try {
                if (Files.isRegularFile(p) && Files.isExecutable(p) && ElfBinary.isStatic(p)) return p;
            } catch (IOException ignored) {
                // unreadable: try the next one
            }
        }
        throw new ImageStoreException("no statically linked busybox found (looked at " + CANDIDATES + "):"
                + " install it (apt-get install busybox-static) to get the built-in busybox image");
    }

    private static Image build(ImageStore store, Path busybox) {
        Path umoci = store.tools().requireUmoci("building the busybox image");
        try {
            if (!ElfBinary.isStatic(busybox)) {
                throw new ImageStoreException(busybox + " is not a statically linked executable, so it cannot run"
                        + " alone in an image: install busybox-static");
            }
        } catch (IOException e) {
            throw new ImageStoreException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
        CommandRunner run = store.runner();
        Path work = null;
        try {
            work = store.scratchDir("busybox");
            Path layout = work.resolve("layout");
            Path root = work.resolve("root");
            String image = layout + ":" + NAME;
            step(run, store, List.of(umoci.toString(), "init", "--layout", layout.toString()));
            step(run, store, List.of(umoci.toString(), "new", "--image", image));
            writeRootfs(run, store, busybox, root);
            step(run, store, List.of(umoci.toString(), "insert", "--image", image, root.toString(), "/"));
            step(run, store, List.of(umoci.toString(), "config", "--image", image, "--config.cmd", "sh",
                    "--config.env", PATH_ENV, "--config.workingdir", "/"));
            step(run, store, List.of(umoci.toString(), "gc", "--layout", layout.toString()));
            return store.importImage(layout, NAME);
        } catch (IOException e) {
            throw new ImageStoreException("cannot build the busybox image: " + e.getMessage(), e);
        } finally {
            if (work != null) FileTrees.delete(work);
        }
    }

    private static void writeRootfs(CommandRunner run, ImageStore store, Path busybox, Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        CommandRunner.Result applets = run.run(List.of(busybox.toString(), "--list"), store.tools().timeout());
        if (!applets.ok()) throw new ImageStoreException(busybox + " --list failed: " + applets.message());
        for (String applet : applets.stdout().split("\n")) {
            String name = applet.strip();
            if (name.isEmpty() || name.equals("busybox") || name.contains("/")) continue;
            Files.createSymbolicLink(bin.resolve(name), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.createDirectories(root.resolve("root"));
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        // Java cannot set the sticky bit; chmod can.
        step(run, store, List.of("chmod", "1777", tmp.toString()));
    }

    private static void step(CommandRunner run, ImageStore store, List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        CommandRunner.Result r = run.run(cmd, store.tools().timeout());
        if (!r.ok()) {
            throw new ImageStoreException("building the busybox image failed at '" + String.join(" ", cmd) + "': "
                    + r.message());
        }
    }
}
