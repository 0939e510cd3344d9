package dev.hypha.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The assignments answer in its JSON form: a whole list keeps the shape agents of every version
 * read (they reject unknown fields), an answer without the change-set fields reads as a whole
 * list, and a change set survives the trip.
 */
class AssignmentsJsonTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private static Instance instance(String id) {
        WorkloadSpec spec = new WorkloadSpec("web", "busybox", List.of("sleep", "3600"), 1, new Resources(100, 64, 0),
                RestartPolicy.ALWAYS, null, null, null, null);
        return Instance.assign(id, Workload.create(spec, T0, null), "n1", T0);
    }

    @Test
    void aWholeListIsWrittenWithoutTheChangeSetFields() throws Exception {
        JsonNode json = Json.mapper().readTree(Json.bytes(new AgentProtocol.Assignments(7, List.of(instance("web-1")))));

        assertThat(json.has("revision")).isTrue();
        assertThat(json.has("instances")).isTrue();
        assertThat(json.has("delta")).as(json.toString()).isFalse();
        assertThat(json.has("removed")).as(json.toString()).isFalse();
    }

    @Test
    void anAnswerWithoutTheChangeSetFieldsIsAWholeList() {
        AgentProtocol.Assignments a = Json.read("{\"revision\":7,\"instances\":[]}".getBytes(),
                AgentProtocol.Assignments.class);

        assertThat(a).isEqualTo(new AgentProtocol.Assignments(7, List.of()));
        assertThat(a.delta()).isFalse();
        assertThat(a.removed()).isEmpty();
    }

    @Test
    void aChangeSetSurvivesTheTrip() {
        var sent = new AgentProtocol.Assignments(9, List.of(instance("web-2")), true, List.of("web-1"));

        var read = Json.read(Json.bytes(sent), AgentProtocol.Assignments.class);

        assertThat(read).isEqualTo(sent);
    }
}
