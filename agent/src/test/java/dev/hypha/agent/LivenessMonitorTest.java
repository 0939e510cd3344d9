package dev.hypha.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.agent.LivenessMonitor.Verdict;
import dev.hypha.model.LivenessSpec;
import dev.hypha.runtime.probe.LivenessCheck;
import dev.hypha.runtime.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The liveness bookkeeping on its own: when checks start, how failures count, when a container is
 * declared dead. Checks run synchronously (or are held in flight by hand), so every step is exact.
 */
class LivenessMonitorTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Executor SYNC = Runnable::run;

    /** A probe that answers from a script and remembers what it was asked. */
    private static final class ScriptedProbe implements LivenessMonitor.Probe {
        final Deque<ProbeResult> script = new ArrayDeque<>();
        final List<LivenessCheck> asked = new ArrayList<>();

        ScriptedProbe then(boolean healthy, String detail) {
            script.add(healthy ? new ProbeResult.Healthy(detail) : new ProbeResult.Unhealthy(detail));
            return this;
        }

        @Override
        public ProbeResult run(String containerId, LivenessCheck check) {
            asked.add(check);
            if (script.isEmpty()) throw new AssertionError("a check nobody scripted ran for " + containerId);
            return script.removeFirst();
        }
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void checksWaitForTheInitialDelayThenRunOnTheirPeriod() {
        ScriptedProbe probe = new ScriptedProbe().then(true, "ok").then(true, "ok");
        LivenessMonitor monitor = new LivenessMonitor(probe, SYNC, null);
        LivenessSpec spec = LivenessSpec.tcp(8080).withTiming(5, 1, 3, 7);

        assertThat(monitor.observe("web-1", spec, T0, at(0))).isEqualTo(new Verdict.Passing(null));
        assertThat(monitor.observe("web-1", spec, T0, at(6))).isEqualTo(new Verdict.Passing(null));
        assertThat(probe.asked).isEmpty();
        monitor.observe("web-1", spec, T0, at(7));
        assertThat(probe.asked).hasSize(1);
        monitor.observe("web-1", spec, T0, at(11));
        assertThat(probe.asked).as("the period has not passed").hasSize(1);
        monitor.observe("web-1", spec, T0, at(12));
        assertThat(probe.asked).hasSize(2);
        assertThat(probe.asked.getFirst()).isEqualTo(new LivenessCheck.Tcp(8080, Duration.ofSeconds(5),
                Duration.ofSeconds(1), 3));
    }

    @Test
    void thresholdFailuresInARowDeclareTheContainerDeadAndASuccessStartsTheCountOver() {
        ScriptedProbe probe = new ScriptedProbe().then(false, "refused").then(true, "ok")
                .then(false, "refused").then(false, "timed out").then(false, "'cat /tmp/healthy' exited 1");
        LivenessMonitor monitor = new LivenessMonitor(probe, SYNC, null);
        LivenessSpec spec = LivenessSpec.exec(List.of("cat", "/tmp/healthy")).withTiming(1, 1, 3, 0);

        assertThat(monitor.observe("web-1", spec, T0, at(0)))
                .isEqualTo(new Verdict.Passing("liveness check failed 1 of 3 times: refused"));
        assertThat(monitor.observe("web-1", spec, T0, at(1))).isEqualTo(new Verdict.Passing(null));
        monitor.observe("web-1", spec, T0, at(2));
        assertThat(monitor.observe("web-1", spec, T0, at(3)))
                .isEqualTo(new Verdict.Passing("liveness check failed 2 of 3 times: timed out"));
        assertThat(monitor.observe("web-1", spec, T0, at(4)))
                .isEqualTo(new Verdict.Failed("liveness check failed 3 times: 'cat /tmp/healthy' exited 1"));
        assertThat(monitor.watched()).isZero();
    }

    @Test
    void aNewRunOrAChangedCheckStartsOver() {
        ScriptedProbe probe = new ScriptedProbe().then(false, "down").then(false, "down").then(false, "down");
        LivenessMonitor monitor = new LivenessMonitor(probe, SYNC, null);
        LivenessSpec spec = LivenessSpec.tcp(80).withTiming(1, 1, 2, 0);

        monitor.observe("web-1", spec, T0, at(0));
        Instant restarted = at(5);
        assertThat(monitor.observe("web-1", spec, restarted, at(5)))
                .isEqualTo(new Verdict.Passing("liveness check failed 1 of 2 times: down"));
        LivenessSpec slower = spec.withTiming(1, 1, 2, 30);
        assertThat(monitor.observe("web-1", slower, restarted, at(6))).isEqualTo(new Verdict.Passing(null));
        assertThat(probe.asked).hasSize(2);
    }

    @Test
    void execChecksOnARuntimeWithoutExecAreReportedAndNeverRun() {
        ScriptedProbe probe = new ScriptedProbe();
        LivenessMonitor monitor = new LivenessMonitor(probe, SYNC, "the fake runtime cannot run commands inside containers");
        LivenessSpec spec = LivenessSpec.exec(List.of("cat", "/tmp/healthy")).withTiming(1, 1, 1, 0);

        for (int s = 0; s < 5; s++) {
            assertThat(monitor.observe("web-1", spec, T0, at(s))).isEqualTo(new Verdict.Passing(
                    "liveness check exec 'cat /tmp/healthy' is unsupported here: the fake runtime cannot run"
                            + " commands inside containers"));
        }
        assertThat(probe.asked).isEmpty();
    }

    @Test
    void aCheckThatThrowsCountsAsAFailure() {
        LivenessMonitor monitor = new LivenessMonitor((id, check) -> {
            throw new IllegalStateException("runc exec could not start");
        }, SYNC, null);
        assertThat(monitor.observe("web-1", LivenessSpec.tcp(80).withTiming(1, 1, 1, 0), T0, at(0)))
                .isEqualTo(new Verdict.Failed("liveness check failed 1 time: the check could not run: runc exec could not start"));
    }

    @Test
    void aCheckInFlightIsCollectedOnALaterPassAndNeverDoubled() {
        List<Runnable> queued = new ArrayList<>();
        ScriptedProbe probe = new ScriptedProbe().then(false, "refused");
        LivenessMonitor monitor = new LivenessMonitor(probe, queued::add, null);
        LivenessSpec spec = LivenessSpec.tcp(80).withTiming(1, 1, 1, 0);

        assertThat(monitor.observe("web-1", spec, T0, at(0))).isEqualTo(new Verdict.Passing(null));
        assertThat(monitor.observe("web-1", spec, T0, at(3))).isEqualTo(new Verdict.Passing(null));
        assertThat(queued).as("one check in flight at a time").hasSize(1);
        queued.removeFirst().run();
        assertThat(monitor.observe("web-1", spec, T0, at(4)))
                .isEqualTo(new Verdict.Failed("liveness check failed 1 time: refused"));
    }

    @Test
    void aCheckThatHangsPastItsTimeoutCountsAsAFailure() {
        LivenessMonitor monitor = new LivenessMonitor((id, check) -> new ProbeResult.Healthy("never asked"),
                task -> { }, null); // the task is dropped: the check never finishes
        LivenessSpec spec = LivenessSpec.tcp(80).withTiming(1, 2, 1, 0);
        monitor.observe("web-1", spec, T0, at(0));
        Instant stillWaiting = T0.plus(spec.timeout()).plus(LivenessMonitor.STUCK_AFTER).minusSeconds(1);
        assertThat(monitor.observe("web-1", spec, T0, stillWaiting)).isEqualTo(new Verdict.Passing(null));
        Verdict v = monitor.observe("web-1", spec, T0, stillWaiting.plusSeconds(1));
        assertThat(v).isEqualTo(new Verdict.Failed("liveness check failed 1 time: the check was still running 32s after it started"));
    }

    @Test
    void forgottenInstancesLoseTheirWatch() {
        List<Runnable> queued = new ArrayList<>();
        LivenessMonitor monitor = new LivenessMonitor(new ScriptedProbe(), queued::add, null);
        LivenessSpec spec = LivenessSpec.tcp(80);
        monitor.observe("a", spec, T0, at(0));
        monitor.observe("b", spec, T0, at(0));
        monitor.observe("c", spec, T0, at(0));
        monitor.forget("a");
        monitor.retainOnly(Set.of("c"));
        assertThat(monitor.watched()).isEqualTo(1);
    }

    @Test
    void workloadChecksBecomeTheRuntimeChecks() {
        assertThat(LivenessMonitor.toCheck(LivenessSpec.http(8080, "/healthz").withTiming(4, 2, 5, 0)))
                .isEqualTo(new LivenessCheck.Http(8080, "/healthz", Duration.ofSeconds(4), Duration.ofSeconds(2), 5));
        assertThat(LivenessMonitor.toCheck(LivenessSpec.exec(List.of("true"))))
                .isEqualTo(LivenessCheck.exec("true"));
        assertThat(LivenessMonitor.toCheck(LivenessSpec.tcp(6379))).isEqualTo(LivenessCheck.tcp(6379));
    }

    static Stream<Long> seeds() {
        return LongStream.range(0, 40).map(i -> 0x5eedL * 31 + i).boxed();
    }

    /**
     * Over random check outcomes and pass times, the monitor declares a container dead exactly
     * when the threshold-th failure in a row comes in, never while checks still pass.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void deadExactlyAfterThresholdFailuresInARow(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        int threshold = 1 + random.nextInt(4);
        LivenessSpec spec = LivenessSpec.tcp(80).withTiming(1 + random.nextInt(3), 1, threshold, random.nextInt(3));
        List<Boolean> outcomes = new ArrayList<>();
        LivenessMonitor monitor = new LivenessMonitor((id, check) -> {
            boolean healthy = random.nextDouble() < 0.6;
            outcomes.add(healthy);
            return healthy ? new ProbeResult.Healthy("ok") : new ProbeResult.Unhealthy("failure #" + outcomes.size());
        }, SYNC, null);

        Instant now = T0;
        int inARow = 0;
        for (int pass = 0; pass < 200; pass++) {
            int before = outcomes.size();
            Verdict v = monitor.observe("web-1", spec, T0, now);
            assertThat(outcomes.size() - before).as("seed %d: at most one check per pass", seed).isLessThanOrEqualTo(1);
            if (outcomes.size() > before) inARow = outcomes.getLast() ? 0 : inARow + 1;
            if (inARow >= threshold) {
                assertThat(v).as("seed %d, pass %d", seed, pass)
                        .isEqualTo(new Verdict.Failed("liveness check failed " + threshold + (threshold == 1 ? " time" : " times")
                                + ": failure #" + outcomes.size()));
                return;
            }
            assertThat(v).as("seed %d, pass %d", seed, pass).isInstanceOf(Verdict.Passing.class);
            now = now.plusMillis(250 + random.nextInt(2000));
        }
        assertThat(outcomes).as("seed %d: checks ran", seed).isNotEmpty();
    }
}
