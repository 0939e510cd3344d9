package dev.hypha.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad request gets the right 4xx with a readable detail, and changes nothing stored. */
class ApiErrorsTest {
    @TempDir
    static Path dir;
    static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(dir);
        var r = cluster.call("POST", "/api/v1/workloads", """
                {"name":"web","image":"busybox","replicas":0}""");
        assertThat(r.status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static Stream<Arguments> badRequests() {
        String big = "{\"name\":\"big\",\"image\":\"" + "x".repeat(1_100_000) + "\"}";
        return Stream.of(
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",", 400, "malformed JSON"),
                Arguments.of("POST", "/api/v1/workloads", "", 400, "empty"),
                Arguments.of("POST", "/api/v1/workloads", "[1,2]", 400, "wrong type"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"busybox\",\"replicas\":\"three\"}", 400, "replicas"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"busybox\",\"colour\":\"red\"}", 400, "unknown field 'colour'"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"Bad_Name\",\"image\":\"busybox\"}", 400, "not a valid name"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"\"}", 400, "image is required"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"busybox\",\"replicas\":-1}", 400, "replicas must be between 0 and 10000"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"busybox\",\"replicas\":20000}", 400, "replicas must be between"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"busybox\",\"resources\":{\"cpu_millicores\":-5,\"memory_mb\":64}}", 400, "cpu_millicores must be between"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"a\",\"image\":\"busybox\",\"resources\":{\"cpu_millicores\":100,\"memory_mb\":99999999999}}", 400, "memory_mb must be between"),
                Arguments.of("POST", "/api/v1/workloads", "{\"name\":\"web\",\"image\":\"busybox\"}", 409, "already exists"),
                Arguments.of("GET", "/api/v1/workloads/nope", null, 404, "workload 'nope' does not exist"),
                Arguments.of("PUT", "/api/v1/workloads/nope", "{\"name\":\"nope\",\"image\":\"busybox\"}", 404, "does not exist"),
                Arguments.of("PUT", "/api/v1/workloads/web", "{\"name\":\"other\",\"image\":\"busybox\"}", 400, "does not match"),
                Arguments.of("DELETE", "/api/v1/workloads/nope", null, 404, "does not exist"),
                Arguments.of("GET", "/api/v1/nodes/ghost", null, 404, "node 'ghost' does not exist"),
                Arguments.of("GET", "/api/v1/no-such-thing", null, 404, "no such endpoint"),
                Arguments.of("POST", "/api/v1/workloads", big, 413, "larger than the limit"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("badRequests")
    void badRequestsAreRefusedClearlyAndChangeNothing(String method, String path, String body, int status, String detail)
            throws Exception {
        long before = cluster.server.store().kv().revision();
        String stored = Json.string(cluster.server.store().workloads().values());

        var r = cluster.call(method, path, body);

        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode problem = Json.mapper().readTree(r.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).containsIgnoringCase(detail);
        assertThat(cluster.server.store().kv().revision()).isEqualTo(before);
        assertThat(Json.string(cluster.server.store().workloads().values())).isEqualTo(stored);
    }

    @Test
    void tokensAreRequired() throws Exception {
        var missing = cluster.call("GET", "/api/v1/workloads", null, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(Json.mapper().readTree(missing.body()).get("detail").asText()).contains("missing bearer token");

        var wrong = cluster.call("GET", "/api/v1/workloads", null, "not-the-token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(Json.mapper().readTree(wrong.body()).get("detail").asText()).contains("not accepted");

        var join = cluster.call("GET", "/api/v1/workloads", null, cluster.server.joinToken());
        assertThat(join.status()).isEqualTo(403);

        var health = cluster.call("GET", "/healthz", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(Json.mapper().readTree(health.body()).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void tokenFilesArePrivate() throws Exception {
        var perms = java.nio.file.Files.getPosixFilePermissions(cluster.server.adminTokenFile());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(perms)).isEqualTo("rw-------");
        assertThat(java.nio.file.Files.readString(cluster.server.adminTokenFile()).trim()).isEqualTo(cluster.server.adminToken());
    }
}
