package dev.hypha.runtime;

import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The uid and gid a container's process runs as, resolved from the image's {@code User} field.
 *
 * <p>Names are looked up in the unpacked rootfs's {@code /etc/passwd} and {@code /etc/group},
 * as Docker does. Symbolic links there are not followed: an image must not make Hypha read a
 * file of the host.
 */
record ProcessUser(long uid, long gid) {
    static final ProcessUser ROOT = new ProcessUser(0, 0);

    /** Resolves "", "uid", "uid:gid", "name" or "name:group" against the image's rootfs. */
    static ProcessUser resolve(String user, Path rootfs, String image) {
        if (user == null || user.isBlank()) return ROOT;
        String[] parts = user.split(":", 2);
        String u = parts[0];
        Optional<String[]> passwd = numeric(u) ? find(rootfs, "passwd", 2, u) : find(rootfs, "passwd", 0, u);
        long uid;
        long gid;
        if (numeric(u)) {
            uid = Long.parseLong(u);
            gid = passwd.map(p -> Long.parseLong(p[3])).orElse(0L);
        } else {
            String[] p = passwd.orElseThrow(() -> new RuntimeFailure("image " + image + " runs as user '" + u
                    + "', who is not in its /etc/passwd", false));
            uid = Long.parseLong(p[2]);
            gid = Long.parseLong(p[3]);
        }
        if (parts.length == 2 && !parts[1].isEmpty()) {
            String g = parts[1];
            if (numeric(g)) {
                gid = Long.parseLong(g);
            } else {
                gid = find(rootfs, "group", 0, g).map(f -> Long.parseLong(f[2])).orElseThrow(() -> new RuntimeFailure(
                        "image " + image + " runs as group '" + g + "', which is not in its /etc/group", false));
            }
        }
        return new ProcessUser(uid, gid);
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 11;
    }

    /** The first line of /etc/{file} whose field {@code field} equals {@code value}, split on ':'. */
    private static Optional<String[]> find(Path rootfs, String file, int field, String value) {
        Path etc = rootfs.resolve("etc");
        Path f = etc.resolve(file);
        if (Files.isSymbolicLink(etc) || Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(f)) {
                String[] fields = line.split(":", -1);
                if (fields.length > Math.max(field, 3) && fields[field].equals(value) && numeric(fields[2])
                        && (file.equals("group") || numeric(fields[3]))) {
                    return Optional.of(fields);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
