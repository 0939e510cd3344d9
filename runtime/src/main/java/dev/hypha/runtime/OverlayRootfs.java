package dev.hypha.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A container's rootfs as an overlay mount: the image store's cached tree as the read-only lower
 * layer, {@code BUNDLE/upper} for the container's writes.
 *
 * <p>Why: copying the cached tree costs from ~10 ms (busybox, idle disk) to several hundred ms on
 * a busy disk, and grows with the image; an overlay mount costs a few ms whatever the size, and
 * every container of an image shares its page cache. The cost is a mount that must be undone:
 * {@link OciCliRuntime} unmounts it on delete, and finds it through /proc/self/mountinfo, so a
 * bundle left by a crashed agent is unmounted when it is deleted. The mount itself is made by the
 * container monitor (monitor.pl) just before it runs the runtime, which spares starting
 * mount(8) on every container start. Where overlay is unavailable (not root, a filesystem that
 * cannot be an upper layer, option characters in the paths) the runtime copies instead.
 */
final class OverlayRootfs {
    private OverlayRootfs() {}

    /**
     * Makes {@code BUNDLE/upper}, {@code work} and the empty {@code rootfs} mount point, and
     * returns the overlay's mount options; empty (and nothing made) when the paths cannot be
     * written in them.
     */
    static Optional<String> prepare(Path lower, Path bundle) throws IOException {
        Path upper = bundle.resolve("upper");
        Path work = bundle.resolve("work");
        for (Path p : List.of(lower, upper, work)) {
            // The mount options are a comma-separated list with ':' separating lower layers.
            String s = p.toString();
            if (s.contains(",") || s.contains(":")) return Optional.empty();
        }
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Files.createDirectories(bundle.resolve("rootfs"));
        return Optional.of("lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
    }

    /** Removes what {@link #prepare} made, after the kernel refused the mount. */
    static void unprepare(Path bundle) {
        FileTrees.delete(bundle.resolve("upper"));
        FileTrees.delete(bundle.resolve("work"));
        FileTrees.delete(bundle.resolve("rootfs"));
    }

    /** Unmounts {@code rootfs} if something is mounted there; lazily if it is still busy. */
    static void unmount(CommandRunner runner, Path rootfs, Duration timeout) {
        if (!isMountPoint(rootfs)) return;
        CommandRunner.Result r = runner.run(List.of(umountBinary(), rootfs.toString()), timeout);
        if (!r.ok() && isMountPoint(rootfs)) {
            CommandRunner.Result lazy = runner.run(List.of(umountBinary(), "-l", rootfs.toString()), timeout);
            if (!lazy.ok() && isMountPoint(rootfs)) {
                throw new IllegalStateException("cannot unmount " + rootfs + ": " + lazy.message());
            }
        }
    }

    /** Whether a mount's target is exactly {@code dir} (field 5 of /proc/self/mountinfo). */
    static boolean isMountPoint(Path dir) {
        try {
            String target = dir.toAbsolutePath().normalize().toString();
            for (String line : Files.readString(Path.of("/proc/self/mountinfo")).split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].replace("\\040", " ").equals(target)) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static String umountBinary() {
        return Executables.find("umount").map(Path::toString).orElse("umount");
    }
}
