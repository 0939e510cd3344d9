package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.core.reputation.ObservedEvent;
import dev.hypha.core.reputation.ReputationConfig;
import dev.hypha.core.reputation.ReputationCrdt;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Json;
import dev.hypha.model.economy.ReputationState;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own observations, their storage, and the gossip seam. */
class ReputationRecorderTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final ReputationConfig CONFIG = ReputationConfig.defaults();

    @TempDir(factory = MemoryBackedTempDir.class)
    Path dir;

    @Test
    void ownObservationsAreStoredAndReadBackAfterARestart() {
        try (StateStore store = new StateStore(new SqliteKvStore(dir.resolve("state.db")))) {
            ReputationRecorder first = new ReputationRecorder("server-a", CONFIG);
            first.record("n1", new NodeEvent.ContainerStarted(), T0);
            first.record("n1", new NodeEvent.StartFailed(NodeEvent.StartFailure.NODE), T0);
            first.record("n2", new NodeEvent.InstanceLost(), T0);
            assertThat(first.flush(store, T0)).isTrue();
            assertThat(first.flush(store, T0)).as("nothing new to write").isFalse();

            ReputationRecorder restarted = new ReputationRecorder("server-a", CONFIG);
            restarted.load(store);
            assertThat(restarted.ownState()).isEqualTo(first.ownState());
            long bucket = ReputationCrdt.empty(CONFIG.bucket()).bucketOf(T0);
            var row = ReputationCrdt.of(restarted.ownState()).row("server-a", "n1", bucket).orElseThrow();
            assertThat(row.startsSucceeded()).isEqualTo(1);
            assertThat(row.startsFailed()).isEqualTo(1);
        }
    }

    @Test
    void gossipMergesOtherObserversRowsButNeverThisServersOwn() {
        ReputationRecorder server = new ReputationRecorder("server-a", CONFIG);
        server.record("n1", new NodeEvent.ContainerStarted(), T0);
        ReputationCrdt remote = ReputationCrdt.empty(CONFIG.bucket())
                .recordAll(List.of(new ObservedEvent("n2", "n1", T0, new NodeEvent.ContainerStarted()),
                        // A forged row in this server's name: dropped.
                        new ObservedEvent("server-a", "n1", T0, new NodeEvent.StartFailed(NodeEvent.StartFailure.NODE))));
        server.merge(remote.toState());

        ReputationCrdt all = server.cluster(List.of());
        assertThat(all.observers()).containsExactly("n2", "server-a");
        long bucket = all.bucketOf(T0);
        assertThat(all.row("server-a", "n1", bucket).orElseThrow().startsFailed()).isZero();
        assertThat(server.ownState().observations()).allMatch(o -> o.observer().equals("server-a"));

        // What a peer that knows nothing lacks is everything; one that knows it all lacks nothing.
        ReputationState empty = new ReputationState(CONFIG.bucket().toMillis(), List.of());
        assertThat(ReputationCrdt.of(server.deltaFor(empty))).isEqualTo(all);
        assertThat(server.deltaFor(all.toState()).observations()).isEmpty();
    }

    @Test
    void onlyThisServersEventsAreRecordedDirectly() {
        ReputationRecorder server = new ReputationRecorder("server-a", CONFIG);
        assertThatThrownBy(() -> server.recordAll(List.of(new ObservedEvent("n9", "n1", T0, new NodeEvent.ContainerStarted()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("merge()");
    }

    @Test
    void statusReportsCarryStartOutcomesAndOldReportsStillParse() throws Exception {
        var report = new AgentProtocol.StatusReport(List.of(),
                List.of(AgentProtocol.StartOutcome.failed("web-1", true, "runtime failed", T0),
                        AgentProtocol.StartOutcome.succeeded("web-2", T0)));
        String json = Json.string(report);
        assertThat(json).contains("\"node_fault\":true").contains("\"instance_id\":\"web-1\"");
        assertThat(Json.mapper().readValue(json, AgentProtocol.StatusReport.class)).isEqualTo(report);
        assertThat(Json.mapper().readValue("{\"instances\":[]}", AgentProtocol.StatusReport.class).starts()).isEmpty();
    }
}
