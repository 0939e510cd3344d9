package dev.hypha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hypha simulate} on small clusters: the table, the JSON report, determinism and usage errors. */
class SimulateCommandTest {
    static final String[] SMALL = {"simulate", "--nodes", "30", "--workloads", "150", "--hours", "3", "--seed", "9"};

    @TempDir Path home;

    CliHarness.Result run(String... extra) {
        String[] args = new String[SMALL.length + extra.length];
        System.arraycopy(SMALL, 0, args, 0, SMALL.length);
        System.arraycopy(extra, 0, args, SMALL.length, extra.length);
        return new CliHarness(Map.of(), home).run(args);
    }

    @Test
    void printsTheProfilesSideBySide() {
        CliHarness.Result r = run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Simulated 3 h, seed 9: 30 nodes (")
                .contains("150 workloads")
                .containsPattern("METRIC +SIMPLE +MYCELIAL\n")
                .containsPattern("placement success rate +\\d+\\.\\d\\d% +\\d+\\.\\d\\d%")
                .contains("replicas lost to failures", "mean reliability of chosen nodes", "cpu utilisation",
                        "credit balance gini", "co2 grams per hour");
        assertThat(r.err()).startsWith("hypha: simulated 3 h of 30 nodes and 150 workloads under 2 profiles in ");
    }

    @Test
    void jsonCarriesTheScenarioAndConsistentNumbers() throws Exception {
        CliHarness.Result r = run("-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode report = Json.mapper().readTree(r.out());
        assertThat(report.at("/scenario/nodes").asInt()).isEqualTo(30);
        assertThat(report.at("/scenario/seed").asLong()).isEqualTo(9);
        assertThat(report.at("/world/workloads").asInt()).isEqualTo(150);
        assertThat(report.get("profiles")).hasSize(2);
        for (JsonNode p : report.get("profiles")) {
            assertThat(p.get("placed").asLong() + p.get("unplaceable").asLong())
                    .isEqualTo(p.get("placement_attempts").asLong());
            assertThat(p.get("balance_gini").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(report.at("/profiles/0/profile").asText()).isEqualTo("simple");
        assertThat(report.at("/profiles/1/profile").asText()).isEqualTo("mycelial");
    }

    @Test
    void theSameSeedPrintsTheSameReportWhateverTheThreads() {
        CliHarness.Result parallel = run("-o", "yaml");
        CliHarness.Result serial = run("-o", "yaml", "--threads", "1");
        assertThat(parallel.exitCode()).as(parallel.toString()).isZero();
        assertThat(serial.out()).isEqualTo(parallel.out());
        assertThat(parallel.out()).contains("profile: simple", "profile: mycelial");
    }

    @Test
    void oneProfileIsOneColumn() {
        CliHarness.Result r = run("--profiles", "mycelial");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("METRIC +MYCELIAL\n").doesNotContain("SIMPLE");
    }

    @Test
    void badArgumentsAreUsageErrorsThatSayWhy() {
        CliHarness.Result unknown = run("--profiles", "simple,greedy");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown scheduler profile 'greedy': choose from simple, mycelial");

        CliHarness.Result twice = run("--profiles", "simple,simple");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("--profiles lists 'simple' twice");

        CliHarness.Result fraction = run("--flaky", "1.5");
        assertThat(fraction.exitCode()).isEqualTo(2);
        assertThat(fraction.err()).contains("the flaky fraction must be in 0..1, got 1.5",
                "Run 'hypha simulate --help' for usage.");
    }
}
