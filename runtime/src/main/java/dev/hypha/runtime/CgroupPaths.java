package dev.hypha.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one process's cgroups live on disk: a directory per cgroup v1 controller and, when the
 * host mounts one, the cgroup v2 directory.
 *
 * <p>Found from {@code /proc/<pid>/cgroup} (which hierarchy path the process is in) and
 * {@code /proc/self/mountinfo} (where each hierarchy is mounted), so it is right whatever the
 * mount layout ({@code cpu,cpuacct} co-mounted or not, a nested parent cgroup as under a
 * supervisor, hybrid v1 + v2). The container's cgroup is nested under runc's own because the
 * spec's {@code cgroupsPath} is relative (TOOLCHAIN.md, gotcha 3), so it cannot be computed
 * from the id alone.
 *
 * @param controllers v1 controller name (and {@code name=systemd}-style named hierarchies) to directory
 * @param unified     the cgroup v2 directory, when the process has one
 */
record CgroupPaths(Map<String, Path> controllers, Optional<Path> unified) {
    CgroupPaths {
        controllers = Map.copyOf(controllers);
    }

    /** The cgroups of a live process, read from /proc. */
    static CgroupPaths of(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")),
                Files.readString(Path.of("/proc/self/mountinfo")));
    }

    /**
     * Joins a {@code /proc/<pid>/cgroup} text with a {@code mountinfo} text. Hierarchies that are
     * not mounted in this mount namespace are left out.
     */
    static CgroupPaths parse(String procCgroup, String mountinfo) {
        List<Mount> mounts = mounts(mountinfo);
        Map<String, Path> controllers = new LinkedHashMap<>();
        Optional<Path> unified = Optional.empty();
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            String path = f[2];
            if (f[1].isEmpty()) {
                unified = mounts.stream().filter(m -> m.type.equals("cgroup2"))
                        .map(m -> m.resolve(path)).flatMap(Optional::stream).findFirst();
                continue;
            }
            List<String> names = List.of(f[1].split(","));
            for (Mount m : mounts) {
                if (!m.type.equals("cgroup") || !m.options.containsAll(names)) continue;
                Optional<Path> dir = m.resolve(path);
                if (dir.isEmpty()) continue;
                for (String name : names) controllers.put(name, dir.get());
                break;
            }
        }
        return new CgroupPaths(controllers, unified);
    }

    /** The same hierarchies, each one {@code relative} further down: where a nested cgroup of this one lives. */
    CgroupPaths nested(String relative) {
        Map<String, Path> nested = new LinkedHashMap<>();
        controllers.forEach((name, dir) -> nested.put(name, dir.resolve(relative)));
        return new CgroupPaths(nested, unified.map(dir -> dir.resolve(relative)));
    }

    Optional<Path> controller(String name) {
        return Optional.ofNullable(controllers.get(name));
    }

    /**
     * Whether the cgroup is frozen, as {@code runc pause} leaves it: {@code freezer.state} other
     * than THAWED on cgroup v1, {@code cgroup.freeze} 1 on v2. False when neither can be read.
     */
    boolean frozen() {
        try {
            Optional<Path> freezer = controller("freezer");
            if (freezer.isPresent()) return !Files.readString(freezer.get().resolve("freezer.state")).strip().equals("THAWED");
            if (unified.isPresent()) return Files.readString(unified.get().resolve("cgroup.freeze")).strip().equals("1");
        } catch (IOException gone) {
            // the cgroup is gone with its container: nothing is frozen
        }
        return false;
    }

    /** Every distinct directory, v1 and v2. */
    List<Path> directories() {
        List<Path> all = new ArrayList<>();
        for (Path p : controllers.values()) if (!all.contains(p)) all.add(p);
        unified.ifPresent(p -> { if (!all.contains(p)) all.add(p); });
        return all;
    }

    private record Mount(String root, Path mountPoint, String type, List<String> options) {
        /** The directory of hierarchy path {@code path} under this mount, if the mount covers it. */
        Optional<Path> resolve(String path) {
            String rel;
            if (root.equals("/")) rel = path;
            else if (path.equals(root)) rel = "/";
            else if (path.startsWith(root + "/")) rel = path.substring(root.length());
            else return Optional.empty();
            String trimmed = rel.startsWith("/") ? rel.substring(1) : rel;
            return Optional.of(trimmed.isEmpty() ? mountPoint : mountPoint.resolve(trimmed));
        }
    }

    private static List<Mount> mounts(String mountinfo) {
        List<Mount> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) continue;
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) continue;
            String type = right[0];
            if (!type.equals("cgroup") && !type.equals("cgroup2")) continue;
            out.add(new Mount(unescape(left[3]), Path.of(unescape(left[4])), type, List.of(right[2].split(","))));
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as three-digit octal ("\040"). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') return false;
        }
        return true;
    }
}
