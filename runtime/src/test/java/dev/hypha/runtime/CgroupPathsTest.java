package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    /** This project's hosts: v1 controllers one per mount, plus an empty cgroup2 "unified" mount. */
    private static final String HYBRID_MOUNTINFO = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void hybridHostWithANestedMemoryCgroup() {
        String procCgroup = """
                9:name=systemd:/hypha/c1
                8:pids:/hypha/c1
                4:memory:/process_api/b40b/hypha/c1
                2:cpuacct:/hypha/c1
                1:cpu:/hypha/c1
                0::/hypha/c1
                """;
        CgroupPaths p = CgroupPaths.parse(procCgroup, HYBRID_MOUNTINFO);
        assertThat(p.controller("memory")).contains(Path.of("/sys/fs/cgroup/memory/process_api/b40b/hypha/c1"));
        assertThat(p.controller("cpuacct")).contains(Path.of("/sys/fs/cgroup/cpuacct/hypha/c1"));
        assertThat(p.controller("pids")).contains(Path.of("/sys/fs/cgroup/pids/hypha/c1"));
        assertThat(p.controller("name=systemd")).contains(Path.of("/sys/fs/cgroup/systemd/hypha/c1"));
        assertThat(p.unified()).contains(Path.of("/sys/fs/cgroup/unified/hypha/c1"));
        assertThat(p.directories()).hasSize(6);
    }

    @Test
    void coMountedControllersShareOneDirectory() {
        String mountinfo = """
                25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
                26 24 0:23 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
                """;
        CgroupPaths p = CgroupPaths.parse("3:cpu,cpuacct:/a/b\n2:memory:/a/b\n", mountinfo);
        assertThat(p.controller("cpu")).contains(Path.of("/sys/fs/cgroup/cpu,cpuacct/a/b"));
        assertThat(p.controller("cpuacct")).isEqualTo(p.controller("cpu"));
        assertThat(p.directories()).hasSize(2);
    }

    @Test
    void aMountOfASubtreeIsResolvedRelativeToItsRoot() {
        String mountinfo = "26 24 0:23 /kubepods /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        CgroupPaths p = CgroupPaths.parse("2:memory:/kubepods/pod1/c\n", mountinfo);
        assertThat(p.controller("memory")).contains(Path.of("/sys/fs/cgroup/memory/pod1/c"));
        CgroupPaths outside = CgroupPaths.parse("2:memory:/system.slice/x\n", mountinfo);
        assertThat(outside.controller("memory")).isEmpty();
    }

    @Test
    void unifiedOnlyHost() {
        String mountinfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
        CgroupPaths p = CgroupPaths.parse("0::/user.slice/hypha/c2\n", mountinfo);
        assertThat(p.controllers()).isEmpty();
        assertThat(p.unified()).contains(Path.of("/sys/fs/cgroup/user.slice/hypha/c2"));
    }

    @Test
    void escapedMountPointsAreDecoded() {
        String mountinfo = "26 24 0:23 / /mnt/cg\\040roups/memory rw - cgroup cgroup rw,memory\n";
        CgroupPaths p = CgroupPaths.parse("2:memory:/x\n", mountinfo);
        assertThat(p.controller("memory")).contains(Path.of("/mnt/cg roups/memory/x"));
    }

    @Test
    void unmountedHierarchiesAreLeftOut() {
        CgroupPaths p = CgroupPaths.parse("7:blkio:/x\n4:memory:/x\n", HYBRID_MOUNTINFO);
        assertThat(p.controllers()).containsOnlyKeys("memory");
    }
}
