package dev.hypha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BENCHMARKS.md from a results directory of sample files, as {@code scripts/bench.sh} leaves them. */
class BenchmarksReportTest {
    @TempDir Path dir;

    @BeforeEach
    void sampleResults() throws IOException {
        write("machine.txt", """
                date: 2026-11-29
                commit: abc1234
                cpu: Test CPU
                cpus: 2 (nproc)
                load before: 1.00 1.00 1.00 (1, 5, 15 min)
                """);
        write("commands.txt", "java -jar cli/target/hypha.jar simulate --nodes 10000 --workloads 100000 -o json\n");
        for (String profile : new String[] {"simple", "mycelial"}) {
            write("scheduler-" + profile + ".json", """
                    {"placements": 50000, "placements_per_second": 9000.0, "p50_ms": 0.05, "p99_ms": 0.4,
                     "cpu_placements_per_second": 9500.0, "mean_nodes_evaluated": 700.0, "baseline_placements": 1000,
                     "baseline_placements_per_second": 200.0, "ratio_to_baseline": 45.0}
                    """);
        }
        write("jmh.json", """
                [{"params": {"nodes": "1000", "profile": "mycelial", "scheduler": "pipeline"},
                  "primaryMetric": {"score": 30000.0, "rawData": [[29000.0, 31000.0]]}}]
                """);
        write("e2e.json", """
                {"profile": "mycelial", "agents": 4, "workloads": 200, "replicas": 10, "placements": 2000,
                 "seconds": 6.0, "placements_per_second": 333.0, "submit_seconds": 5.0, "workload_p50_ms": 1000.0,
                 "workload_p99_ms": 1700.0, "cpu_ms_per_placement": 4.5, "store_revisions": 340,
                 "jit_cpu_seconds": 1.0, "warmup_rounds": 3}
                """);
        simulation(10_000, 100_000, 7_000, 3_000, 0.70, 900.0);
        write("simulate-time.txt", "real 48.21 user 90.10 sys 1.40\n");
    }

    /** A simulate.json with the simple profile's numbers fixed and the mycelial profile's given. */
    void simulation(int nodes, int workloads, long mycelialStartFailures, long mycelialKilled, double mycelialGini,
                    double mycelialStdDev) throws IOException {
        write("simulate.json", """
                {"scenario": {"seed": 42, "nodes": %d, "workloads": %d, "hours": 24},
                 "world": {"nodes": %d, "members": 1000, "flaky_nodes": 1037, "liar_nodes": 526, "crashing_nodes": 490,
                           "outages": 1834, "workloads": %d, "replicas_requested": 214767, "cpu_millicores": 1},
                 "profiles": [%s, %s]}
                """.formatted(nodes, workloads, nodes, workloads,
                profile("simple", 44_073, 14_570, 0.791, 1117.7), profile("mycelial", mycelialStartFailures,
                        mycelialKilled, mycelialGini, mycelialStdDev)));
    }

    static String profile(String name, long startFailures, long killed, double gini, double stdDev) {
        return """
                {"profile": "%s", "placement_attempts": 284611, "placed": 284611, "unplaceable": 0,
                 "placement_success_rate": 1.0, "replicas_lost": %d, "start_failures": %d, "killed_by_node": %d,
                 "lost_in_crashes": 11201, "mean_chosen_reliability": 0.821, "mean_nodes_evaluated": 705.0,
                 "cpu_utilisation": 0.3114, "mean_running_replicas": 60900.0, "balance_gini": %s,
                 "balance_std_dev_credits": %s, "co2_grams_per_hour": 250638.0, "cost_per_hour": 866.49,
                 "replicas_missing_at_end": 0}
                """.formatted(name, startFailures + killed + 11_201, startFailures, killed, gini, stdDev);
    }

    void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text);
    }

    String simulatorSection() throws IOException {
        String md = new BenchmarksReport(dir).render();
        int start = md.indexOf("## Cluster simulator");
        assertThat(start).as(md).isNotNegative();
        return md.substring(start, md.indexOf("## Commands"));
    }

    @Test
    void theSimulatorSectionShowsTheProfilesSideBySideWithTheWallTime() throws IOException {
        String section = simulatorSection();
        assertThat(section)
                .contains("10,000 nodes (1,037 flaky, 526 liars, 490 crashing, with 1,834 crashes in all)")
                .contains("100,000 workloads asking for 214,767 replicas", "over 24 simulated hours (seed 42)")
                .contains("| metric | simple | mycelial |\n|---|---:|---:|\n")
                .contains("| of which to flaky nodes (failed starts + killed by their node) | **58,643** | **10,000** |")
                .contains("| credit balance Gini | 0.791 | 0.700 |")
                .contains("| credit balance std dev (credits) | 1,117.7 | 900.0 |")
                .contains("Wall time: **48.2 s** for the whole command", "91.5 s of cpu");
    }

    @Test
    void allThreeTargetsMetAreSaidToBeMet() throws IOException {
        assertThat(simulatorSection()).contains("This run: 48.2 s (met)")
                .contains("10,000 replicas lost to flaky nodes with mycelial against 58,643 with simple (met)")
                .contains("balance Gini 0.700 against 0.791 and standard deviation 900.0 against 1,117.7 credits (met)")
                .doesNotContain("missed");
    }

    @Test
    void eachTargetMissedIsSaidToBeMissed() throws IOException {
        write("simulate-time.txt", "real 75.00 user 140.00 sys 2.00\n");
        // Fewer replicas lost, but the balance spread is higher in standard deviation (the Gini is lower).
        simulation(10_000, 100_000, 40_000, 10_000, 0.78, 1305.7);
        assertThat(simulatorSection()).contains("This run: 75.0 s (missed)")
                .contains("50,000 replicas lost to flaky nodes with mycelial against 58,643 with simple (met)")
                .contains("standard deviation 1,305.7 against 1,117.7 credits (missed)");

        simulation(10_000, 100_000, 50_000, 9_000, 0.70, 900.0);
        assertThat(simulatorSection()).contains("59,000 replicas lost to flaky nodes with mycelial against 58,643"
                + " with simple (missed)");
    }

    @Test
    void aRunOfAnotherSizeIsNotJudgedAgainstTheTimeTarget() throws IOException {
        simulation(2_000, 20_000, 7_000, 3_000, 0.70, 900.0);
        assertThat(simulatorSection())
                .contains("This run: 48.2 s for 2,000 nodes and 20,000 workloads (not the target's size, so not judged)")
                .doesNotContain("48.2 s (met)");
    }

    @Test
    void theEndToEndSectionNamesItsWarmUpAndTheCompilersShare() throws IOException {
        String md = new BenchmarksReport(dir).render();
        String section = md.substring(md.indexOf("## End to end"), md.indexOf("## Container start"));
        assertThat(section).contains("(this run: 3 rounds)")
                .contains("| 2,000 | 6.00 | **333** | 5.00 s | 1000 ms | 1700 ms | 4.50 ms | 0.50 ms | 340 |")
                .contains("This run: 333 (missed)");

        write("e2e.json", """
                {"profile": "mycelial", "agents": 4, "workloads": 200, "replicas": 10, "placements": 2000,
                 "seconds": 1.6, "placements_per_second": 1250.0, "submit_seconds": 1.0, "workload_p50_ms": 300.0,
                 "workload_p99_ms": 700.0, "cpu_ms_per_placement": 1.5, "store_revisions": 340,
                 "jit_cpu_seconds": -1, "warmup_rounds": 6}
                """);
        String again = new BenchmarksReport(dir).render();
        assertThat(again.substring(again.indexOf("## End to end"), again.indexOf("## Container start")))
                .contains("| 1.50 ms | not known | 340 |").contains("This run: 1,250 (met)");
    }

    @Test
    void theTimesFileIsReadOrItsProblemNamed() throws IOException {
        assertThat(BenchmarksReport.times("real 1.50 user 2.25 sys 0.25\n"))
                .containsEntry("real", 1.5).containsEntry("user", 2.25).containsEntry("sys", 0.25);
        assertThatThrownBy(() -> BenchmarksReport.times("real 1.50 user 2.25"))
                .hasMessageContaining("simulate-time.txt has no 'sys' seconds");
        assertThatThrownBy(() -> BenchmarksReport.times("real 1,5 user 2 sys 0"))
                .hasMessageContaining("'1,5' after 'real' is not a number of seconds");
    }
}
