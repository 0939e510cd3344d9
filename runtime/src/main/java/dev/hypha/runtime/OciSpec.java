package dev.hypha.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.model.Resources;
import dev.hypha.runtime.image.Image;
import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import dev.hypha.spi.ContainerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an OCI runtime spec ({@code config.json}) for one container from its image and its
 * {@link ContainerSpec}.
 *
 * <p>The baseline is what {@code runc spec} generates, which is the hardening runc's authors
 * ship: the mounts, the masked and read-only /proc and /sys paths, three capabilities
 * ({@code AUDIT_WRITE}, {@code KILL}, {@code NET_BIND_SERVICE}), {@code noNewPrivileges}, a
 * deny-all device list (runc adds the standard null/zero/random/tty devices itself). On top:
 * <ul>
 *   <li>process: the workload's command replaces the image's entrypoint and cmd when non-empty;
 *       the image's env with the workload's env over it; the image's working directory and user;
 *       {@code terminal: false} (stdio goes to the log file, TOOLCHAIN.md gotcha 2);</li>
 *   <li>cgroup limits from the resources: memory from {@code memory_mb} (swap capped at the same
 *       value where the host accounts swap, so a container cannot swap past its limit); cpu
 *       shares {@code millicores × 1024 / 1000} and a CFS quota of {@code millicores / 1000}
 *       cpus per 100 ms period (Kubernetes' conversions); a pids limit;</li>
 *   <li>{@code cgroupsPath: hypha/<id>}, relative, so runc nests it under its caller's cgroup
 *       (TOOLCHAIN.md gotcha 3);</li>
 *   <li>namespaces pid, ipc, uts and mount, but <b>not network</b>: for now containers share
 *       the host's network namespace, so a service listens on the node's ports and liveness
 *       probes reach it on 127.0.0.1. Container networking comes later; the host's
 *       {@code /etc/resolv.conf} and {@code /etc/hosts} are bound read-only so that names
 *       resolve as on the host;</li>
 *   <li>a writable rootfs (each container has its own copy), unlike {@code runc spec}'s
 *       read-only one, because most images write to their filesystem.</li>
 * </ul>
 * No seccomp profile is set (runc spec sets none either).
 */
final class OciSpec {
    static final String CGROUP_PARENT = "hypha";
    static final List<String> CAPABILITIES = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    static final List<String> NAMESPACES = List.of("pid", "ipc", "uts", "mount");
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final long CFS_PERIOD_MICROS = 100_000;
    /** The kernel refuses CFS quotas below 1 ms. */
    static final long MIN_CFS_QUOTA_MICROS = 1_000;
    static final long MIB = 1024L * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Host facts that change the spec.
     *
     * @param pidsLimit   most processes in the container
     * @param limitSwap   the host has {@code memory.memsw.*} (swap accounting), so swap can be capped
     * @param hostFiles   host files to bind read-only at the same path (resolv.conf, hosts) when present
     */
    record Options(long pidsLimit, boolean limitSwap, List<String> hostFiles) {
        Options {
            hostFiles = List.copyOf(hostFiles);
        }
    }

    private OciSpec() {}

    static ObjectNode build(ContainerSpec spec, Image image, ProcessUser user, Options options) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ociVersion", "1.0.2");
        root.set("process", process(spec, image, user));
        ObjectNode rootfs = root.putObject("root");
        rootfs.put("path", "rootfs");
        rootfs.put("readonly", false);
        root.put("hostname", hostname(spec.id()));
        root.set("mounts", mounts(options));
        root.set("linux", linux(spec, options));
        ObjectNode annotations = root.putObject("annotations");
        annotations.put("dev.hypha.image", image.name());
        annotations.put("dev.hypha.image.digest", image.digest());
        return root;
    }

    /** The process's argv: the workload's command, else the image's entrypoint followed by its cmd. */
    static List<String> args(ContainerSpec spec, Image image) {
        if (!spec.command().isEmpty()) return spec.command();
        List<String> args = new ArrayList<>(image.config().entrypoint());
        args.addAll(image.config().cmd());
        if (args.isEmpty()) {
            throw new RuntimeFailure("image " + image.name() + " has no entrypoint or cmd and container " + spec.id()
                    + " gives no command: say what to run", false);
        }
        return args;
    }

    /** The image's env with the workload's on top (workload wins), keeping the image's order; PATH defaulted. */
    static List<String> env(ContainerSpec spec, Image image) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String entry : image.config().env()) {
            int eq = entry.indexOf('=');
            if (eq > 0) merged.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        new java.util.TreeMap<>(spec.env()).forEach(merged::put);
        List<String> env = new ArrayList<>();
        if (!merged.containsKey("PATH")) env.add(DEFAULT_PATH);
        merged.forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    private static ObjectNode process(ContainerSpec spec, Image image, ProcessUser user) {
        ObjectNode p = JSON.createObjectNode();
        p.put("terminal", false);
        ObjectNode u = p.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        strings(p.putArray("args"), args(spec, image));
        strings(p.putArray("env"), env(spec, image));
        String cwd = image.config().workingDir();
        p.put("cwd", cwd.isEmpty() ? "/" : cwd);
        ObjectNode caps = p.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) strings(caps.putArray(set), CAPABILITIES);
        ObjectNode nofile = p.putArray("rlimits").addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", 1024);
        nofile.put("soft", 1024);
        p.put("noNewPrivileges", true);
        return p;
    }

    private static ArrayNode mounts(Options options) {
        ArrayNode m = JSON.createArrayNode();
        mount(m, "/proc", "proc", "proc");
        mount(m, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(m, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(m, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(m, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(m, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(m, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        for (String file : options.hostFiles()) mount(m, file, "bind", file, "rbind", "ro", "nosuid", "nodev", "noexec");
        return m;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (options.length > 0) strings(m.putArray("options"), List.of(options));
    }

    private static ObjectNode linux(ContainerSpec spec, Options options) {
        ObjectNode l = JSON.createObjectNode();
        l.put("cgroupsPath", CGROUP_PARENT + "/" + spec.id());
        ObjectNode resources = l.putObject("resources");
        ObjectNode deny = resources.putArray("devices").addObject();
        deny.put("allow", false);
        deny.put("access", "rwm");
        Resources r = spec.resources();
        if (r != null && r.memoryMb() > 0) {
            ObjectNode memory = resources.putObject("memory");
            memory.put("limit", r.memoryMb() * MIB);
            if (options.limitSwap()) memory.put("swap", r.memoryMb() * MIB);
        }
        if (r != null && r.cpuMillicores() > 0) {
            ObjectNode cpu = resources.putObject("cpu");
            cpu.put("shares", cpuShares(r.cpuMillicores()));
            cpu.put("quota", cpuQuotaMicros(r.cpuMillicores()));
            cpu.put("period", CFS_PERIOD_MICROS);
        }
        resources.putObject("pids").put("limit", options.pidsLimit());
        ArrayNode ns = l.putArray("namespaces");
        for (String type : NAMESPACES) ns.addObject().put("type", type);
        strings(l.putArray("maskedPaths"), MASKED_PATHS);
        strings(l.putArray("readonlyPaths"), READONLY_PATHS);
        return l;
    }

    /** cpu.shares for a request: 1024 per core, at least 2 (the kernel's minimum), at most 262144. */
    static long cpuShares(long millicores) {
        return Math.clamp(millicores * 1024 / 1000, 2, 262_144);
    }

    /** CFS quota per 100 ms period for a limit: {@code millicores × 100 µs}, at least 1 ms. */
    static long cpuQuotaMicros(long millicores) {
        return Math.max(MIN_CFS_QUOTA_MICROS, millicores * CFS_PERIOD_MICROS / 1000);
    }

    /** The UTS hostname: the container id, cut to the kernel's 64 characters. */
    static String hostname(String id) {
        return id.length() <= 63 ? id : id.substring(0, 63);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
