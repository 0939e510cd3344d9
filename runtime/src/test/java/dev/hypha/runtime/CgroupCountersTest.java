package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads counters from directory trees laid out like cgroupfs. */
class CgroupCountersTest {
    @TempDir
    Path root;

    private Path dir(String name, Map<String, String> files) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        for (var e : files.entrySet()) Files.writeString(d.resolve(e.getKey()), e.getValue());
        return d;
    }

    @Test
    void cgroupV1() throws IOException {
        Path memory = dir("memory/c", Map.of("memory.usage_in_bytes", "606208\n", "memory.limit_in_bytes", "33554432\n",
                "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"));
        Path cpuacct = dir("cpuacct/c", Map.of("cpuacct.usage", "96741099\n"));
        Path pids = dir("pids/c", Map.of("pids.current", "3\n"));
        CgroupPaths paths = new CgroupPaths(Map.of("memory", memory, "cpuacct", cpuacct, "pids", pids), Optional.empty());

        assertThat(CgroupCounters.read(paths)).contains(new CgroupCounters(96_741_099, 606_208, 33_554_432, 3, 2));
    }

    @Test
    void cgroupV2() throws IOException {
        Path unified = dir("unified/c", Map.of("cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n",
                "memory.current", "4096\n", "memory.max", "max\n", "pids.current", "1\n",
                "memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n"));
        CgroupPaths paths = new CgroupPaths(Map.of(), Optional.of(unified));

        assertThat(CgroupCounters.read(paths)).contains(new CgroupCounters(1_500_000, 4096, Long.MAX_VALUE, 1, 1));
    }

    @Test
    void aDeletedCgroupReadsAsEmpty() throws IOException {
        CgroupPaths gone = new CgroupPaths(Map.of("memory", root.resolve("memory/gone")), Optional.empty());
        assertThat(CgroupCounters.read(gone)).isEmpty();
        assertThat(CgroupCounters.read(new CgroupPaths(Map.of(), Optional.empty()))).isEmpty();
    }

    @Test
    void anOlderKernelWithoutTheOomKillLineReadsZero() {
        assertThat(CgroupCounters.keyed("oom_kill_disable 0\nunder_oom 0\n", "oom_kill")).isZero();
        assertThat(CgroupCounters.keyed("oom_kill_disable 1\noom_kill 5", "oom_kill")).isEqualTo(5);
    }
}
