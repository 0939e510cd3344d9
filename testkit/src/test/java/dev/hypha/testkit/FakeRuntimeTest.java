package dev.hypha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Resources;
import dev.hypha.spi.ContainerRuntime;
import dev.hypha.spi.ContainerSpec;
import dev.hypha.spi.ContainerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake runtime's containers and the log it writes for each, created and started in one step or two. */
class FakeRuntimeTest {
    @TempDir
    Path dir;

    private ContainerSpec spec(String id) {
        return new ContainerSpec(id, "busybox", List.of("sleep", "3600"), Map.of(), new Resources(100, 64, 0),
                dir.resolve("logs").resolve(id + ".log").toString());
    }

    @Test
    void runCreatesAndStartsWithBothLinesInTheLog() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        runtime.run(spec("web-1"));

        assertThat(runtime.runningIds()).containsExactly("web-1");
        assertThat(runtime.calls()).containsExactly(new FakeRuntime.Call("create", "web-1"),
                new FakeRuntime.Call("start", "web-1"));
        assertThat(Files.readAllLines(dir.resolve("logs/web-1.log")))
                .containsExactly("[fake] created busybox sleep 3600", "[fake] started");
    }

    @Test
    void createThenStartWritesTheSameLog() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        runtime.create(spec("web-1"));
        assertThat(runtime.state("web-1")).map(ContainerStatus::status).contains(ContainerStatus.Status.CREATED);
        runtime.start("web-1");

        assertThat(runtime.runningIds()).containsExactly("web-1");
        assertThat(Files.readAllLines(dir.resolve("logs/web-1.log")))
                .containsExactly("[fake] created busybox sleep 3600", "[fake] started");
    }

    @Test
    void aFailedStartLeavesOnlyTheCreatedLineAndAStoppedContainer() throws Exception {
        FakeRuntime runtime = new FakeRuntime(new FakeClock(Instant.EPOCH), 0, 1);
        runtime.failNextStarts(1);

        assertThatThrownBy(() -> runtime.run(spec("web-1"))).isInstanceOf(ContainerRuntime.RuntimeFailure.class)
                .hasMessageContaining("simulated node fault");
        assertThat(runtime.state("web-1")).map(ContainerStatus::status).contains(ContainerStatus.Status.STOPPED);
        assertThat(Files.readAllLines(dir.resolve("logs/web-1.log"))).containsExactly("[fake] created busybox sleep 3600");
    }
}
