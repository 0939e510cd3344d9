package dev.hypha.core.reputation;

import static dev.hypha.core.reputation.Fixtures.HOUR;
import static dev.hypha.core.reputation.Fixtures.SERVER;
import static dev.hypha.core.reputation.Fixtures.T0;
import static dev.hypha.core.reputation.Fixtures.hour;
import static dev.hypha.core.reputation.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReputationCrdtTest {
    static final ReputationCrdt EMPTY = ReputationCrdt.empty(HOUR);

    static Stream<Arguments> attribution() {
        return Stream.of(
                // event, blame, counter it increments (or none)
                Arguments.of(new NodeEvent.ContainerStarted(), Blame.NODE_SUCCESS, "starts_succeeded"),
                Arguments.of(new NodeEvent.StartFailed(NodeEvent.StartFailure.NODE), Blame.NODE_FAILURE, "starts_failed"),
                Arguments.of(new NodeEvent.StartFailed(NodeEvent.StartFailure.WORKLOAD), Blame.WORKLOAD, null),
                Arguments.of(new NodeEvent.ContainerExited(NodeEvent.ExitCause.BY_ITSELF, 1), Blame.WORKLOAD, null),
                Arguments.of(new NodeEvent.ContainerExited(NodeEvent.ExitCause.BY_ITSELF, 0), Blame.WORKLOAD, null),
                Arguments.of(new NodeEvent.ContainerExited(NodeEvent.ExitCause.OWN_LIMIT, 137), Blame.WORKLOAD, null),
                Arguments.of(new NodeEvent.ContainerExited(NodeEvent.ExitCause.REQUESTED, 143), Blame.NOBODY, null),
                Arguments.of(new NodeEvent.ContainerExited(NodeEvent.ExitCause.KILLED_BY_NODE, 137), Blame.NODE_FAILURE,
                        "instances_lost"),
                Arguments.of(new NodeEvent.InstanceLost(), Blame.NODE_FAILURE, "instances_lost"),
                Arguments.of(new NodeEvent.ProbeAcked(), Blame.NODE_SUCCESS, "probe_acks"),
                Arguments.of(new NodeEvent.ProbeFailed(), Blame.NODE_FAILURE, "probe_failures"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("attribution")
    void eachEventCountsForOrAgainstTheNodeAsDocumented(NodeEvent event, Blame blame, String counter) {
        assertThat(event.blame()).isEqualTo(blame);
        ReputationCrdt after = EMPTY.record(SERVER, "n1", T0, event);
        String json = Json.string(after.toState());
        if (counter == null) {
            assertThat(json).doesNotContain("starts_", "instances_lost", "probe_");
        } else {
            assertThat(json).contains("\"" + counter + "\":1");
        }
    }

    @Test
    void usageIsCappedAtThePledgeBecauseOverUseIsTheWorkloadsViolation() {
        Resources pledge = new Resources(500, 256, 0);
        ReputationCrdt c = EMPTY
                .record(SERVER, "n1", T0, new NodeEvent.UsageSampled(10, pledge, 9_000, 1_000, 42_000L))
                .record(SERVER, "n1", T0.plusSeconds(10), new NodeEvent.UsageSampled(10, pledge, 1_000, 128, null));
        Observation o = c.row(SERVER, "n1", c.bucketOf(T0)).orElseThrow();
        assertThat(o.cpuPledgedMillis()).isEqualTo(10_000);
        assertThat(o.cpuUsedMillis()).isEqualTo(5_000 + 1_000);
        assertThat(o.memoryPledgedMbSeconds()).isEqualTo(5_120);
        assertThat(o.memoryUsedMbSeconds()).isEqualTo(2_560 + 1_280);
        // Energy counts with the cpu time it was measured over, uncapped: it is the node's cost of the work.
        assertThat(o.energyMillijoules()).isEqualTo(42_000);
        assertThat(o.energyCpuMillis()).isEqualTo(9_000);
    }

    @Test
    void eventsFallIntoTheirHourBucket() {
        ReputationCrdt c = EMPTY.recordAll(List.of(
                new ObservedEvent(SERVER, "n1", hour(0), Fixtures.started()),
                new ObservedEvent(SERVER, "n1", hour(0).plusSeconds(3_599), Fixtures.started()),
                new ObservedEvent(SERVER, "n1", hour(1), Fixtures.failed())));
        long b0 = c.bucketOf(hour(0));
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.row(SERVER, "n1", b0).orElseThrow().startsSucceeded()).isEqualTo(2);
        assertThat(c.row(SERVER, "n1", b0 + 1).orElseThrow().startsFailed()).isEqualTo(1);
    }

    @Test
    void theSerialisedFormIsSnakeCaseLeavesOutZerosAndRoundTrips() throws Exception {
        ReputationCrdt c = EMPTY.record(SERVER, "n1", T0, Fixtures.started()).record("n2", "n1", T0,
                new NodeEvent.ProbeFailed());
        String json = Json.string(c.toState());
        long bucket = c.bucketOf(T0);
        assertThat(json).isEqualTo("{\"bucket_millis\":3600000,\"observations\":["
                + "{\"observer\":\"n2\",\"subject\":\"n1\",\"bucket\":" + bucket + ",\"probe_failures\":1},"
                + "{\"observer\":\"server-1\",\"subject\":\"n1\",\"bucket\":" + bucket + ",\"starts_succeeded\":1}]}");
        ReputationState back = Json.mapper().readValue(json, ReputationState.class);
        assertThat(ReputationCrdt.of(back)).isEqualTo(c);
    }

    @Test
    void duplicateRowsInAStateMergeByMaximum() {
        ReputationState s = new ReputationState(HOUR.toMillis(), List.of(row("a", "b", 3, 5, 0, 1, 0),
                row("a", "b", 3, 2, 4, 0, 0)));
        assertThat(ReputationCrdt.of(s).row("a", "b", 3)).contains(row("a", "b", 3, 5, 4, 1, 0));
    }

    @Test
    void deltaHoldsWhatThePeerLacks() {
        ReputationCrdt mine = ReputationCrdt.of(new ReputationState(HOUR.toMillis(), List.of(
                row("a", "b", 1, 5, 0, 0, 0), row("a", "c", 1, 1, 0, 0, 0), row("a", "d", 1, 2, 0, 0, 0))));
        ReputationCrdt theirs = ReputationCrdt.of(new ReputationState(HOUR.toMillis(), List.of(
                row("a", "b", 1, 5, 0, 0, 0), row("a", "c", 1, 0, 3, 0, 0), row("x", "y", 1, 9, 0, 0, 0))));
        ReputationCrdt delta = mine.delta(theirs);
        assertThat(delta.observations()).extracting(Observation::subject).containsExactlyInAnyOrder("c", "d");
        assertThat(theirs.merge(delta)).isEqualTo(theirs.merge(mine));
        assertThat(mine.delta(mine.merge(theirs)).size()).isZero();
    }

    @Test
    void slicesPerObserverMergeBackIntoTheWholeState() {
        ReputationCrdt c = ReputationCrdt.of(new ReputationState(HOUR.toMillis(), List.of(
                row("a", "b", 1, 1, 0, 0, 0), row("a", "c", 2, 1, 0, 0, 0), row("a-b", "a", 1, 0, 1, 0, 0),
                row("b", "a", 1, 0, 0, 1, 0))));
        assertThat(c.observers()).containsExactly("a", "a-b", "b");
        assertThat(c.ofObserver("a").observations()).extracting(Observation::observer).containsOnly("a").hasSize(2);
        assertThat(c.ofObserver("nobody").size()).isZero();
        ReputationCrdt whole = ReputationCrdt.empty(HOUR);
        for (String o : c.observers()) whole = whole.merge(c.ofObserver(o));
        assertThat(whole).isEqualTo(c);
    }

    @Test
    void pruningDropsOldBucketsOnly() {
        ReputationCrdt c = ReputationCrdt.of(new ReputationState(HOUR.toMillis(), List.of(
                row("a", "b", 1, 1, 0, 0, 0), row("a", "b", 5, 1, 0, 0, 0))));
        assertThat(c.pruneBefore(5).observations()).extracting(Observation::bucket).containsExactly(5L);
        assertThat(c.pruneBefore(0)).isSameAs(c);
    }

    @Test
    void misuseIsRefusedWithAReason() {
        assertThatThrownBy(() -> EMPTY.record("n1", "n1", T0, Fixtures.started()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("observer n1 cannot observe itself: a node's word about itself is not evidence");
        assertThatThrownBy(() -> EMPTY.merge(ReputationCrdt.empty(Duration.ofMinutes(5))))
                .hasMessage("cannot merge reputation states with different bucket lengths: 3600000 ms and 300000 ms");
        assertThatThrownBy(() -> row("a", "b", 1, -1, 0, 0, 0))
                .hasMessage("observation of b by a: counters only grow from zero, got -1");
        assertThatThrownBy(() -> new NodeEvent.UsageSampled(0, Resources.ZERO, 0, 0, null))
                .hasMessage("a usage sample must last at least one second, got 0");
    }
}
