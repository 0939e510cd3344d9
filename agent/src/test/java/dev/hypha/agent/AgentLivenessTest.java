package dev.hypha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.LivenessSpec;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.testkit.FakeRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's loop on the fake runtime against a fake control plane: liveness failures go
 * through the restart path with their reason, passing checks leave containers alone, exec checks
 * the fake runtime cannot run are reported, and OOM kills count as resource violations. Fake time
 * moves one second per pass, so back-off waits take a few passes.
 */
class AgentLivenessTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final FakeRuntime runtime = new FakeRuntime(clock, 0, 7);
    private FakeControlPlane plane;
    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        if (plane != null) plane.close();
    }

    private static Instance instance(String id, WorkloadSpec spec) {
        return Instance.assign(id, Workload.create(spec, T0, null), "n1", T0);
    }

    private static WorkloadSpec spec(String name, LivenessSpec liveness) {
        return new WorkloadSpec(name, "busybox", List.of("sleep", "3600"), 1, new Resources(100, 64, 0),
                RestartPolicy.ALWAYS, null, null, null, liveness);
    }

    private void run(Instance... instances) throws IOException {
        plane = new FakeControlPlane(List.of(instances), () -> clock.advance(Duration.ofSeconds(1)));
        AgentConfig config = new AgentConfig(List.of(plane.url()), "token", "n1", null, dir, null, List.of(), "fake",
                new Resources(4000, 8192, 0), "default", 0.1, 200, null, 0);
        agent = Agent.start(config, runtime, clock);
    }

    private InstanceStatusReport awaitReport(String id, Predicate<InstanceStatusReport> wanted) {
        InstanceStatusReport[] found = new InstanceStatusReport[1];
        await().atMost(PATIENCE).until(() -> {
            found[0] = plane.history(id).stream().filter(wanted).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFailingCheckKillsTheContainerAndTheRestartPathBringsItBack() throws IOException {
        int port = closedPort();
        run(instance("web-1", spec("web", LivenessSpec.tcp(port).withTiming(1, 1, 2, 0))));

        InstanceStatusReport killed = awaitReport("web-1", r -> r.state() == InstanceState.RESTARTING);
        assertThat(killed.message()).as(plane.describe("web-1"))
                .startsWith("liveness check failed 2 times: cannot connect to 127.0.0.1:" + port)
                .endsWith("s (back-off)");
        assertThat(killed.restarts()).isZero();

        InstanceStatusReport back = awaitReport("web-1", r -> r.restarts() == 1 && r.state() == InstanceState.RUNNING);
        assertThat(back.message()).isNull();
        assertThat(runtime.calls()).contains(new FakeRuntime.Call("kill", "web-1"));
        assertThat(back.resourceViolations()).as("a liveness failure is no resource violation").isZero();
    }

    @Test
    void aPassingCheckLeavesTheContainerAloneAndAnExecCheckTheFakeCannotRunIsReported() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            run(instance("web-1", spec("web", LivenessSpec.tcp(listening.getLocalPort()).withTiming(1, 1, 1, 0))),
                    instance("job-1", spec("job", LivenessSpec.exec(List.of("cat", "/tmp/healthy")).withTiming(1, 1, 1, 0))));

            // 25 passes: instances are reported when what the agent saw changed, so count the passes.
            await().atMost(PATIENCE).until(() -> plane.reports() >= 25);
            assertThat(plane.history("web-1")).as("web-1 was reported").isNotEmpty();
            assertThat(plane.history("web-1")).as(plane.describe("web-1")).allSatisfy(r -> {
                assertThat(r.state()).isEqualTo(InstanceState.RUNNING);
                assertThat(r.restarts()).isZero();
                assertThat(r.message()).isNull();
            });
            List<InstanceStatusReport> job = plane.history("job-1");
            // The first report is of the pass that started the container, before any check was due.
            assertThat(job.subList(1, job.size())).as(plane.describe("job-1")).allSatisfy(r -> {
                assertThat(r.state()).isEqualTo(InstanceState.RUNNING);
                assertThat(r.restarts()).isZero();
                assertThat(r.message()).isEqualTo("liveness check exec 'cat /tmp/healthy' is unsupported here:"
                        + " the fake runtime cannot run commands inside containers");
            });
            assertThat(runtime.calls()).doesNotContain(new FakeRuntime.Call("kill", "web-1"),
                    new FakeRuntime.Call("kill", "job-1"));
        }
    }

    @Test
    void anOomKillIsOneResourceViolationOfTheInstance() throws IOException {
        run(instance("hog-1", spec("hog", null)));
        awaitReport("hog-1", r -> r.state() == InstanceState.RUNNING);
        assertThat(plane.history("hog-1")).allSatisfy(r -> assertThat(r.resourceViolations()).isZero());

        runtime.exit("hog-1", 137, true);
        InstanceStatusReport restarted = awaitReport("hog-1", r -> r.restarts() == 1 && r.state() == InstanceState.RUNNING);
        assertThat(restarted.resourceViolations()).isEqualTo(1);
        assertThat(restarted.lastViolation()).isEqualTo(
                "OOM killed: memory use reached the container's limit (64 MiB requested)");
        assertThat(plane.history("hog-1")).as(plane.describe("hog-1"))
                .allSatisfy(r -> assertThat(r.resourceViolations()).isLessThanOrEqualTo(1));
    }
}
