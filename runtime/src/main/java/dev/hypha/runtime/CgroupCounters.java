package dev.hypha.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The counters Hypha reads from a container's cgroups: cpu time, memory use and limit, pids and
 * OOM kills.
 *
 * <p>cgroup v1 files are read when the memory controller is mounted as v1 (this project's
 * hosts: a hybrid layout), else the cgroup v2 equivalents: {@code cpuacct.usage} or
 * {@code cpu.stat usage_usec}, {@code memory.usage_in_bytes} or {@code memory.current},
 * {@code memory.limit_in_bytes} or {@code memory.max}, {@code pids.current}, and the
 * {@code oom_kill} line of {@code memory.oom_control} or {@code memory.events}.
 *
 * @param cpuNanos    cpu time used by the cgroup since it was made
 * @param memoryBytes memory charged to the cgroup now
 * @param memoryLimit the limit; {@link Long#MAX_VALUE} when unlimited on cgroup v2
 * @param pids        tasks in the cgroup now: processes and their threads, as the pids limit counts
 * @param oomKills    processes the kernel's OOM killer killed in the cgroup
 */
record CgroupCounters(long cpuNanos, long memoryBytes, long memoryLimit, long pids, long oomKills) {

    /** Reads the counters; empty when the cgroup directories are gone (the container was deleted). */
    static Optional<CgroupCounters> read(CgroupPaths paths) throws IOException {
        try {
            Optional<Path> memory = paths.controller("memory");
            if (memory.isPresent()) return Optional.of(readV1(paths, memory.get()));
            if (paths.unified().isPresent()) return Optional.of(readV2(paths.unified().get()));
            return Optional.empty();
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    private static CgroupCounters readV1(CgroupPaths paths, Path memory) throws IOException {
        long cpu = 0;
        Optional<Path> cpuacct = paths.controller("cpuacct");
        if (cpuacct.isPresent()) cpu = number(cpuacct.get().resolve("cpuacct.usage"));
        long pids = 0;
        Optional<Path> pidsDir = paths.controller("pids");
        if (pidsDir.isPresent()) pids = number(pidsDir.get().resolve("pids.current"));
        return new CgroupCounters(cpu, number(memory.resolve("memory.usage_in_bytes")),
                number(memory.resolve("memory.limit_in_bytes")), pids,
                keyed(Files.readString(memory.resolve("memory.oom_control")), "oom_kill"));
    }

    private static CgroupCounters readV2(Path dir) throws IOException {
        long cpuMicros = keyed(Files.readString(dir.resolve("cpu.stat")), "usage_usec");
        return new CgroupCounters(cpuMicros * 1000, number(dir.resolve("memory.current")),
                number(dir.resolve("memory.max")), number(dir.resolve("pids.current")),
                keyed(Files.readString(dir.resolve("memory.events")), "oom_kill"));
    }

    /** A one-number file; "max" (cgroup v2's unlimited) reads as {@link Long#MAX_VALUE}. */
    private static long number(Path file) throws IOException {
        String s = Files.readString(file).strip();
        if (s.equals("max")) return Long.MAX_VALUE;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not hold a number: '" + s + "'");
        }
    }

    /** The value of {@code key} in a "key value" per line file; 0 when the kernel does not report it. */
    static long keyed(String text, String key) {
        for (String line : text.split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                try {
                    return Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
