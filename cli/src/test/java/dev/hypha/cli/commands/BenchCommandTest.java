package dev.hypha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.CliHarness;
import dev.hypha.model.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one benchmark in the test suite, as a smoke test: {@code hypha bench scheduler} runs the
 * harness on a small cluster and prints exactly one JSON object whose numbers make sense. It asserts
 * no speed: the machine is shared.
 */
class BenchCommandTest {
    @TempDir Path home;

    @Test
    void benchSchedulerPrintsOneJsonObjectWithSaneNumbers() throws Exception {
        CliHarness.Result r = new CliHarness(Map.of(), home).run("bench", "scheduler", "--nodes", "300",
                "--placements", "1500", "--baseline-placements", "100", "--profile", "mycelial", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        JsonNode result = Json.mapper().readTree(r.out());
        assertThat(result.isObject()).isTrue();
        assertThat(result.get("profile").asText()).isEqualTo("mycelial");
        assertThat(result.get("nodes").asInt()).isEqualTo(300);
        assertThat(result.get("placements").asInt()).isEqualTo(1500);
        assertThat(result.get("assigned").asLong() + result.get("unplaceable").asLong()).isEqualTo(1500);
        assertThat(result.get("assigned").asLong()).as("a third full at most: most replicas fit").isGreaterThan(1000);
        assertThat(result.get("placements_per_second").asDouble()).isPositive();
        assertThat(result.get("p50_ms").asDouble()).isPositive().isLessThanOrEqualTo(result.get("p99_ms").asDouble());
        assertThat(result.get("baseline_placements").asInt()).isEqualTo(100);
        assertThat(result.get("baseline_bounded").asBoolean()).isTrue();
        assertThat(result.get("baseline_placements_per_second").asDouble()).isPositive();
        assertThat(result.get("ratio_to_baseline").asDouble()).isCloseTo(
                result.get("placements_per_second").asDouble() / result.get("baseline_placements_per_second").asDouble(),
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(result.get("mean_nodes_evaluated").asDouble()).isBetween(1.0, 300.0);

        CliHarness.Result wrong = new CliHarness(Map.of(), home).run("bench", "scheduler", "--profile", "fancy");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--profile 'fancy' is not one of simple, mycelial");
    }
}
