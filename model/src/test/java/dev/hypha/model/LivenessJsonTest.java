package dev.hypha.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The liveness check of a workload spec and the resource-violation fields of instances, in their
 * JSON form: defaults, validation messages, and that older JSON without them still reads.
 */
class LivenessJsonTest {
    private static WorkloadSpec spec(String json) throws Exception {
        return Json.mapper().readValue(json, WorkloadSpec.class);
    }

    private static String messageOf(String json) {
        try {
            spec(json);
        } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof InvalidSpecException)) t = t.getCause();
            return t.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void anExecCheckTakesTheDefaultTiming() throws Exception {
        WorkloadSpec s = spec("""
                {"name":"web","image":"busybox","liveness":{"exec":["cat","/tmp/healthy"]}}""");
        assertThat(s.liveness()).isEqualTo(new LivenessSpec(List.of("cat", "/tmp/healthy"), null, null, 10, 1, 3, 0));
        assertThat(s.liveness().describe()).isEqualTo("exec 'cat /tmp/healthy'");
    }

    @Test
    void httpAndTcpChecksReadWithTheirTiming() throws Exception {
        LivenessSpec http = spec("""
                {"name":"web","image":"busybox","liveness":{"http":{"port":8080,"path":"/healthz"},
                 "period_seconds":5,"timeout_seconds":2,"failure_threshold":4,"initial_delay_seconds":7}}""").liveness();
        assertThat(http).isEqualTo(LivenessSpec.http(8080, "/healthz").withTiming(5, 2, 4, 7));
        assertThat(http.period()).hasSeconds(5);
        assertThat(http.initialDelay()).hasSeconds(7);
        assertThat(spec("""
                {"name":"web","image":"busybox","liveness":{"http":{"port":8080}}}""").liveness().http().path())
                .isEqualTo("/");
        assertThat(spec("""
                {"name":"web","image":"busybox","liveness":{"tcp":{"port":6379}}}""").liveness())
                .isEqualTo(LivenessSpec.tcp(6379));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|liveness needs one check: exec (a command), http (a port and path) or tcp (a port)",
            "{\"exec\":[\"true\"],\"tcp\":{\"port\":1}}|liveness takes exactly one check, got exec and tcp",
            "{\"exec\":[]}|liveness.exec must name a command to run",
            "{\"http\":{\"port\":0}}|liveness.http.port must be between 1 and 65535, got 0",
            "{\"http\":{\"path\":\"/x\"}}|liveness.http.port is required",
            "{\"http\":{\"port\":80,\"path\":\"healthz\"}}|liveness.http.path must start with '/', got 'healthz'",
            "{\"tcp\":{\"port\":70000}}|liveness.tcp.port must be between 1 and 65535, got 70000",
            "{\"tcp\":{\"port\":80},\"period_seconds\":0}|liveness.period_seconds must be between 1 and 3600, got 0",
            "{\"tcp\":{\"port\":80},\"failure_threshold\":0}|liveness.failure_threshold must be between 1 and 1000, got 0",
            "{\"tcp\":{\"port\":80},\"initial_delay_seconds\":-1}|liveness.initial_delay_seconds must be between 0 and 3600, got -1",
    })
    void invalidChecksAreRejectedWithAReason(String liveness, String expected) {
        assertThat(messageOf("{\"name\":\"web\",\"image\":\"busybox\",\"liveness\":" + liveness + "}"))
                .startsWith(expected);
    }

    @Test
    void aSpecWithoutLivenessWritesNoLivenessField() throws Exception {
        WorkloadSpec plain = spec("{\"name\":\"web\",\"image\":\"busybox\"}");
        assertThat(plain.liveness()).isNull();
        assertThat(Json.mapper().readTree(Json.bytes(plain)).has("liveness")).isFalse();
        JsonNode withCheck = Json.mapper().readTree(Json.bytes(plain.withLiveness(LivenessSpec.tcp(80))));
        assertThat(withCheck.get("liveness").toString()).isEqualTo(
                "{\"tcp\":{\"port\":80},\"period_seconds\":10,\"timeout_seconds\":1,\"failure_threshold\":3,"
                        + "\"initial_delay_seconds\":0}");
    }

    @Test
    void aChangedLivenessCheckChangesTheReplicaTemplate() throws Exception {
        WorkloadSpec plain = spec("{\"name\":\"web\",\"image\":\"busybox\"}");
        WorkloadSpec checked = plain.withLiveness(LivenessSpec.tcp(80));
        assertThat(checked.templateDiffers(plain)).isTrue();
        assertThat(checked.templateDiffers(plain.withLiveness(LivenessSpec.tcp(80)))).isFalse();
        assertThat(checked.templateDiffers(plain.withLiveness(LivenessSpec.tcp(80).withTiming(5, 1, 3, 0)))).isTrue();
        assertThat(checked.withReplicas(4).liveness()).isEqualTo(checked.liveness());
    }

    @Test
    void aStoredWorkloadKeepsItsLivenessCheckThroughJsonAndUpdates() throws Exception {
        WorkloadSpec s = spec("{\"name\":\"web\",\"image\":\"busybox\",\"liveness\":{\"exec\":[\"true\"]}}");
        Workload w = Workload.create(s, Instant.parse("2025-01-01T00:00:00Z"), null);
        Workload back = Json.mapper().readValue(Json.bytes(w), Workload.class);
        assertThat(back).isEqualTo(w);
        assertThat(back.spec().liveness()).isEqualTo(s.liveness());
        Workload updated = w.update(s.withLiveness(null));
        assertThat(updated.generation()).isEqualTo(2);
        assertThat(updated.liveness()).isNull();
        assertThat(Instance.assign("web-1", w, "n1", w.createdAt()).spec().liveness()).isEqualTo(s.liveness());
    }

    @Test
    void instancesCarryResourceViolationsAndReadWithoutThem() throws Exception {
        WorkloadSpec s = spec("{\"name\":\"web\",\"image\":\"busybox\"}");
        Instance assigned = Instance.assign("web-1", Workload.create(s, Instant.EPOCH, null), "n1", Instant.EPOCH);
        InstanceStatusReport report = new InstanceStatusReport("web-1", InstanceState.RUNNING, "web-1", 42L, 0,
                Instant.EPOCH, null, null, ContainerHealthMetrics.NONE, 2, "memory use 62 MiB is 97% of the 64 MiB requested");
        Instance observed = assigned.withObserved(report);
        assertThat(observed.resourceViolations()).isEqualTo(2);
        assertThat(observed.withState(InstanceState.STOPPING, "stop").lastViolation()).startsWith("memory use 62 MiB");
        assertThat(Json.mapper().readValue(Json.bytes(observed), Instance.class)).isEqualTo(observed);

        JsonNode old = Json.mapper().readTree(Json.bytes(assigned));
        ((com.fasterxml.jackson.databind.node.ObjectNode) old).remove(List.of("resource_violations", "last_violation"));
        assertThat(Json.mapper().treeToValue(old, Instance.class)).isEqualTo(assigned);
        InstanceStatusReport oldReport = Json.mapper().readValue(
                "{\"id\":\"web-1\",\"state\":\"running\",\"restarts\":1}", InstanceStatusReport.class);
        assertThat(oldReport.resourceViolations()).isZero();
        assertThat(oldReport.lastViolation()).isNull();
    }
}
