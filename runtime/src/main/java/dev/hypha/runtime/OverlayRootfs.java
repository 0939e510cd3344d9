package dev.hypha.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A container's rootfs as an overlay mount: the image store's cached tree as the read-only lower
 * layer, {@code BUNDLE/upper} for the container's writes.
 *
 * <p>Why: copying the cached tree costs from ~10 ms (busybox, idle disk) to several hundred ms on
 * a busy disk, and grows with the image; an overlay mount costs a few ms whatever the size, and
 * every container of an image shares its page cache. The cost is a mount that must be undone:
 * {@link OciCliRuntime} unmounts it on delete, and finds it through /proc/self/mountinfo, so a
 * bundle left by a crashed agent is unmounted when it is deleted. Where overlay is unavailable
 * (not root, a filesystem that cannot be an upper layer, option characters in the paths) the
 * runtime copies instead.
 */
final class OverlayRootfs {
    private OverlayRootfs() {}

    /** Mounts {@code BUNDLE/rootfs}; false (and nothing left mounted) when the host refuses. */
    static boolean mount(CommandRunner runner, Path lower, Path bundle, Duration timeout) throws IOException {
        Path upper = bundle.resolve("upper");
        Path work = bundle.resolve("work");
        Path rootfs = bundle.resolve("rootfs");
        for (Path p : List.of(lower, upper, work)) {
            // The mount options are a comma-separated list with ':' separating lower layers.
            String s = p.toString();
            if (s.contains(",") || s.contains(":")) return false;
        }
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Files.createDirectories(rootfs);
        String options = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        CommandRunner.Result r = runner.run(List.of(mountBinary(), "-t", "overlay", "overlay", "-o", options,
                rootfs.toString()), timeout);
        if (r.ok()) return true;
        FileTrees.delete(upper);
        FileTrees.delete(work);
        return false;
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

    private static String mountBinary() {
        return Executables.find("mount").map(Path::toString).orElse("mount");
    }

    private static String umountBinary() {
        return Executables.find("umount").map(Path::toString).orElse("umount");
    }
}
