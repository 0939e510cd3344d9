package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container record on disk: written and read back, and records written before a field was kept. */
class ContainerRecordTest {
    @TempDir
    Path bundle;

    @Test
    void aRecordReadsBackAsWrittenAndMarkedStartedKeepsTheRest() throws IOException {
        CgroupPaths cgroups = new CgroupPaths(Map.of("memory", Path.of("/sys/fs/cgroup/memory/hypha/c1")),
                Optional.of(Path.of("/sys/fs/cgroup/unified/hypha/c1")));
        Instant created = Instant.parse("2025-01-02T03:04:05.678Z");
        ContainerRecord rec = ContainerRecord.of("c1", "busybox", "sha256:ab", "/logs/c1.log",
                new ProcessIdentity(42, 1234), cgroups, created, false);
        rec.write(bundle);

        ContainerRecord read = ContainerRecord.read(bundle).orElseThrow();
        assertThat(read).isEqualTo(rec);
        assertThat(read.createdAt()).isEqualTo(created);
        assertThat(read.cgroupPaths()).isEqualTo(cgroups);
        assertThat(read.started()).isFalse();

        read.asStarted().write(bundle);
        ContainerRecord started = ContainerRecord.read(bundle).orElseThrow();
        assertThat(started.started()).isTrue();
        assertThat(started).isEqualTo(new ContainerRecord(rec.id(), rec.image(), rec.imageDigest(), rec.logPath(),
                rec.pid(), rec.startTicks(), rec.cgroups(), rec.unified(), rec.created(), true));
    }

    @Test
    void aRecordWrittenBeforeStartedAndCreatedWereKeptReadsAsNotStarted() throws IOException {
        // So the runtime is asked about such a container while it lives: the record cannot tell.
        Files.writeString(bundle.resolve(ContainerRecord.FILE), """
                {"id":"old","image":"busybox","imageDigest":"sha256:ab","logPath":"/logs/old.log","pid":42,\
                "startTicks":1234,"cgroups":{"memory":"/sys/fs/cgroup/memory/hypha/old"},"unified":null}
                """);
        ContainerRecord old = ContainerRecord.read(bundle).orElseThrow();
        assertThat(old.started()).isFalse();
        assertThat(old.createdAt()).isNull();
        assertThat(old.init()).isEqualTo(new ProcessIdentity(42, 1234));
    }

    @Test
    void aTornRecordIsNoRecord() throws IOException {
        Files.writeString(bundle.resolve(ContainerRecord.FILE), "{\"id\":\"torn\",\"pid\":");
        assertThat(ContainerRecord.read(bundle)).isEmpty();
    }
}
