package dev.hypha.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes BENCHMARKS.md from the results one run of {@code scripts/bench.sh} left in a directory:
 * the machine, the method, the commands, and tables with every number next to the baseline
 * measured in the same run and the target it is held to.
 *
 * <p>Reads {@code machine.txt} (key: value lines), {@code commands.txt}, {@code jmh.json} (JMH's JSON result),
 * {@code scheduler-simple.json} and {@code scheduler-mycelial.json} ({@code hypha bench scheduler
 * -o json}), {@code e2e.json} ({@link EndToEndBench}) and, when present, {@code latency.json}
 * ({@link StartLatencyBench}), {@code simulate.json} ({@code hypha simulate -o json}) and
 * {@code simulate-time.txt} (the shell's {@code real … user … sys …} seconds of that command).
 * Run: {@code java … dev.hypha.bench.BenchmarksReport RESULTS_DIR OUTPUT.md}.
 */
public final class BenchmarksReport {
    /** Published figures of other schedulers, for scale; measured elsewhere, on other machines. */
    static final double KUBE_SCHEDULER_PODS_PER_SECOND = 680;
    static final double NOMAD_PLACEMENTS_PER_SECOND = 1_500;
    static final double TARGET_SCHEDULER_PER_SECOND = 20_000;
    static final double TARGET_SCHEDULER_P99_MS = 1;
    static final double TARGET_E2E_PER_SECOND = 1_000;
    static final double TARGET_START_RATIO = 1.3;
    static final int TARGET_SIMULATED_NODES = 10_000;
    static final int TARGET_SIMULATED_WORKLOADS = 100_000;
    static final double TARGET_SIMULATION_SECONDS = 60;

    private final ObjectMapper json = new ObjectMapper();
    private final Path dir;

    BenchmarksReport(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchmarksReport RESULTS_DIR OUTPUT.md");
            System.exit(2);
        }
        Files.writeString(Path.of(args[1]), new BenchmarksReport(Path.of(args[0])).render());
    }

    private JsonNode read(String file) throws IOException {
        return json.readTree(dir.resolve(file).toFile());
    }

    private Map<String, String> machine() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("machine.txt"))) {
            int colon = line.indexOf(':');
            if (colon > 0) out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return out;
    }

    String render() throws IOException {
        Map<String, String> m = machine();
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Measured by `scripts/bench.sh` on ").append(m.getOrDefault("date", LocalDate.now().toString()))
                .append(" (commit ").append(m.getOrDefault("commit", "?")).append("). Every ratio compares numbers"
                        + " measured in the same run on the same machine; the other schedulers' figures are their"
                        + " published ones, for scale only. Run `scripts/bench.sh` to measure again and rewrite this"
                        + " file.\n\n");

        md.append("## Machine\n\n");
        md.append("| | |\n|---|---|\n");
        for (String key : List.of("cpu", "cpus", "memory", "kernel", "java", "load before", "load after")) {
            md.append("| ").append(key).append(" | ").append(m.getOrDefault(key, "?")).append(" |\n");
        }
        md.append("\nThe machine is shared: other builds and tests run on the same two cores, so wall-clock rates move"
                + " with their load (the load averages above). The scheduler harness and the end-to-end run also"
                + " report cpu time, which the other processes do not inflate as much.\n\n");

        scheduler(md);
        jmh(md);
        endToEnd(md);
        startLatency(md);
        simulator(md);
        md.append("## Commands\n\n`scripts/bench.sh` ran these (CP is the bench module's class path):\n\n```\n")
                .append(Files.readString(dir.resolve("commands.txt")).strip()).append("\n```\n");
        return md.toString();
    }

    private void scheduler(StringBuilder md) throws IOException {
        md.append("## Scheduler, in process (`hypha bench scheduler`)\n\n");
        md.append("A generated cluster of 5,000 mixed nodes (four regions of unequal size, four machine shapes,"
                + " 3% suspect or dead, 0–30% already allocated, varied reputation, carbon intensity and owners) and"
                + " a mix of eight workloads: some limited to one or two regions, some preferring high reputation,"
                + " one whose member is past its hard credit limit and may use only its own 50 nodes. Each placement"
                + " is scheduled on the snapshot holding every placement before it, and builds its full explain"
                + " record (the five best candidates with every plugin's score, rejection counts and samples). The"
                + " cluster returns to its starting state every 15,000 placements (three per node), so it never"
                + " fills up. A placement's time includes adding it to the snapshot. The naive baseline (every node"
                + " filtered and scored for every replica, all candidates sorted) runs the same profile on the same"
                + " sequence, on its first placements only, because it is slow.\n\n");
        md.append("| profile | placements | placements/s | p50 | p99 | cpu placements/s | nodes evaluated per placement |"
                + " naive baseline (placements) | naive placements/s | × naive | × kube-scheduler | × Nomad |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        JsonNode mycelial = null;
        for (String profile : List.of("simple", "mycelial")) {
            JsonNode r = read("scheduler-" + profile + ".json");
            if (profile.equals("mycelial")) mycelial = r;
            double rate = r.get("placements_per_second").asDouble();
            md.append(String.format(Locale.ROOT, "| %s | %,d | **%,.0f** | %.3f ms | %.3f ms | %,.0f | %.0f | %,d | %,.0f | %.1f× | %.1f× | %.1f× |%n",
                    profile, r.get("placements").asInt(), rate, r.get("p50_ms").asDouble(), r.get("p99_ms").asDouble(),
                    r.get("cpu_placements_per_second").asDouble(), r.get("mean_nodes_evaluated").asDouble(),
                    r.get("baseline_placements").asInt(), r.get("baseline_placements_per_second").asDouble(),
                    r.get("ratio_to_baseline").asDouble(), rate / KUBE_SCHEDULER_PODS_PER_SECOND,
                    rate / NOMAD_PLACEMENTS_PER_SECOND));
        }
        double rate = mycelial.get("placements_per_second").asDouble();
        double p99 = mycelial.get("p99_ms").asDouble();
        md.append(String.format(Locale.ROOT, "%nTarget: at least %,.0f placements/s with the mycelial profile at 5,000"
                        + " nodes, p99 under %.0f ms. This run: %,.0f placements/s (%s), p99 %.3f ms (%s); %,.0f/s of"
                        + " the measuring thread's cpu time.%n%n",
                TARGET_SCHEDULER_PER_SECOND, TARGET_SCHEDULER_P99_MS, rate, verdict(rate >= TARGET_SCHEDULER_PER_SECOND),
                p99, verdict(p99 < TARGET_SCHEDULER_P99_MS), mycelial.get("cpu_placements_per_second").asDouble()));
        md.append("These runs use the JVM's default compilers, as the `./hypha` launcher does for `up`, `server`,"
                + " `agent`, `bench` and `simulate` (only the short-lived client verbs start with the first-tier"
                + " compiler alone).\n\n");
        md.append(String.format(Locale.ROOT, "For scale: kube-scheduler's scheduler_perf passes at %,.0f pods/s or more"
                + " on 5,000 nodes, and Nomad's published runs place about %,.0f allocations/s. Both are their own"
                + " figures on their own hardware, with identical unconstrained pods and their own plugins, and"
                + " kube-scheduler's include binding through its API server.%n%n",
                KUBE_SCHEDULER_PODS_PER_SECOND, NOMAD_PLACEMENTS_PER_SECOND));
    }

    private void jmh(StringBuilder md) throws IOException {
        md.append("## Scheduler, JMH (`SchedulerBenchmark`)\n\n");
        md.append("The same placement sequence under JMH: placements per second (one operation is one placement with"
                + " its decision and snapshot update), averaged over the measured one-second iterations of one fork"
                + " (see Commands), with the slowest and fastest iteration in brackets. On this shared machine"
                + " iterations differ a lot, so the brackets matter more than JMH's confidence interval.\n\n");
        record Row(int nodes, String profile, String scheduler, double score, double min, double max) {}
        List<Row> rows = new ArrayList<>();
        for (JsonNode b : read("jmh.json")) {
            JsonNode p = b.get("params");
            double min = Double.MAX_VALUE;
            double max = 0;
            for (JsonNode fork : b.at("/primaryMetric/rawData")) {
                for (JsonNode it : fork) {
                    min = Math.min(min, it.asDouble());
                    max = Math.max(max, it.asDouble());
                }
            }
            rows.add(new Row(p.get("nodes").asInt(), p.get("profile").asText(), p.get("scheduler").asText(),
                    b.at("/primaryMetric/score").asDouble(), min, max));
        }
        md.append("| nodes | profile | pipeline placements/s | naive placements/s | × naive |\n|---:|---|---:|---:|---:|\n");
        rows.stream().filter(r -> r.scheduler().equals("pipeline"))
                .sorted(Comparator.comparing(Row::profile).thenComparing(Row::nodes))
                .forEach(r -> {
                    Row naive = rows.stream().filter(x -> x.scheduler().equals("naive") && x.nodes() == r.nodes()
                            && x.profile().equals(r.profile())).findFirst().orElse(null);
                    md.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f (%,.0f–%,.0f) | %s | %s |%n", r.nodes(),
                            r.profile(), r.score(), r.min(), r.max(),
                            naive == null ? "-" : String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", naive.score(),
                                    naive.min(), naive.max()),
                            naive == null ? "-" : String.format(Locale.ROOT, "%.0f×", r.score() / naive.score())));
                });
        md.append("\n");
    }

    private void endToEnd(StringBuilder md) throws IOException {
        JsonNode r = read("e2e.json");
        md.append("## End to end, through the API and the store (`EndToEndBench`)\n\n");
        md.append(String.format(Locale.ROOT, "A real server (HTTP API, SQLite store in WAL mode with every commit synced,"
                + " controller loop, profile %s) and %d agents on the fake runtime in one process. %d workloads of %d"
                + " replicas each are POSTed to `/api/v1/workloads` by %d concurrent clients; a replica is placed when"
                + " its instance record exists with a node. The clock runs from the first request to the last"
                + " placement. Unmeasured rounds of the same size run first, each one's workloads deleted after it, until a"
                + " round spends less than a tenth of its cpu in the JIT compiler (this run: %d rounds), so the measured"
                + " round sees a server that has been running rather than one still compiling; then twice as many workloads"
                + " are placed and kept, so the measured round places beside replicas already running. The agents run their"
                + " normal loop throughout (fetching assignments, starting fake containers, reporting status), so"
                + " placements share the machine with the traffic they cause.%n%n",
                r.get("profile").asText(), r.get("agents").asInt(), r.get("workloads").asInt(), r.get("replicas").asInt(), 4,
                r.path("warmup_rounds").asInt()));
        md.append("| placements | seconds | placements/s | submitting took | workload submit-to-placed p50 | p99 |"
                + " cpu per placement | of which JIT compiler | store revisions |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double rate = r.get("placements_per_second").asDouble();
        md.append(String.format(Locale.ROOT, "| %,d | %.2f | **%,.0f** | %.2f s | %.0f ms | %.0f ms | %.2f ms | %s | %,d |%n%n",
                r.get("placements").asInt(), r.get("seconds").asDouble(), rate, r.get("submit_seconds").asDouble(),
                r.get("workload_p50_ms").asDouble(), r.get("workload_p99_ms").asDouble(),
                r.get("cpu_ms_per_placement").asDouble(),
                r.path("jit_cpu_seconds").asDouble(-1) < 0 ? "not known"
                        : String.format(Locale.ROOT, "%.2f ms", r.get("jit_cpu_seconds").asDouble() * 1000 / r.get("placements").asInt()),
                r.get("store_revisions").asLong()));
        md.append(String.format(Locale.ROOT, "Target: at least %,.0f placements/s. This run: %,.0f (%s).%n%n",
                TARGET_E2E_PER_SECOND, rate, verdict(rate >= TARGET_E2E_PER_SECOND)));
    }

    private void startLatency(StringBuilder md) throws IOException {
        md.append("## Container start: submit-to-running against raw runc (`StartLatencyBench`)\n\n");
        if (!Files.exists(dir.resolve("latency.json"))) {
            md.append("Not measured in this run (it needs root and runc; see the script's output).\n\n");
            return;
        }
        JsonNode r = read("latency.json");
        md.append("One busybox container at a time. Hypha: from POST of a one-replica workload until its instance"
                + " record says running, through a server and an agent with the runc runtime (`hypha up`'s pieces in"
                + " one process). Raw: `runc create` + `runc start` of a copy of the bundle the agent's runtime builds"
                + " for busybox, launched from Java. Rounds alternate between the two after " + r.path("warmup_rounds").asInt()
                + " unmeasured ones of each (a server and agent that have started that many containers, so their code"
                + " runs compiled by the JIT as in a server that has been running); the container is deleted after each round. Two points inside Hypha's time are shown as well: when the"
                + " instance was placed, and what the agent's runtime adapter (`OciCliRuntime`: bundle from the image"
                + " cache, config.json, exit-code monitor, runc) takes for create + start on its own.\n\n");
        md.append("| rounds | Hypha submit-to-running | of which until placed | runtime adapter create+start |"
                + " raw runc create+start | Hypha ÷ raw |\n|---:|---:|---:|---:|---:|---:|\n");
        double ratio = r.get("ratio").asDouble();
        md.append(String.format(Locale.ROOT, "| %d | %.1f ms (min %.1f, p90 %.1f) | %.1f ms | %.1f ms | %.1f ms (min %.1f,"
                        + " p90 %.1f) | **%.2f×** |%n%n", r.get("runs").asInt(), r.get("hypha_median_ms").asDouble(),
                r.get("hypha_min_ms").asDouble(), r.get("hypha_p90_ms").asDouble(), r.get("placed_median_ms").asDouble(),
                r.get("adapter_median_ms").asDouble(), r.get("raw_median_ms").asDouble(), r.get("raw_min_ms").asDouble(),
                r.get("raw_p90_ms").asDouble(), ratio));
        md.append(String.format(Locale.ROOT, "Target: at most %.1f× raw runc. This run: %.2f× (%s).%n%n",
                TARGET_START_RATIO, ratio, verdict(ratio <= TARGET_START_RATIO)));
        int first = r.path("first_rounds").asInt();
        if (first > 0) {
            md.append(String.format(Locale.ROOT, "A freshly started server is slower: in the first %d rounds after it"
                            + " started, submit-to-running took %.1f ms (median), %.2f× raw runc in the same rounds.%n%n",
                    first, r.get("first_rounds_hypha_median_ms").asDouble(), r.get("first_rounds_ratio").asDouble()));
        }
    }

    /** The side-by-side simulation of both profiles, its wall time, and its three targets. */
    void simulator(StringBuilder md) throws IOException {
        JsonNode r = read("simulate.json");
        Map<String, Double> time = times(Files.readString(dir.resolve("simulate-time.txt")));
        JsonNode scenario = r.get("scenario");
        JsonNode world = r.get("world");
        int nodes = scenario.get("nodes").asInt();
        int workloads = scenario.get("workloads").asInt();
        md.append("## Cluster simulator (`hypha simulate`)\n\n");
        md.append(String.format(Locale.ROOT, "A seeded cluster on a virtual clock: %,d nodes (%,d flaky, %,d liars,"
                        + " %,d crashing, with %,d crashes in all) owned by %,d members, and %,d workloads asking for"
                        + " %,d replicas, arriving and leaving over %d simulated hours (seed %d). Flaky nodes fail"
                        + " starts and kill running replicas; liars report false observations about the nodes they"
                        + " witness; crashing nodes lose what they run and come back empty. Each scheduler profile"
                        + " runs the same world through the real reconciler, scheduler, settlement and reputation"
                        + " code (EigenTrust with the server as the pre-trusted observer), balances and reputation"
                        + " recomputed every simulated hour; the profiles run side by side, one thread each, and the"
                        + " same seed gives the same table.%n%n",
                nodes, world.get("flaky_nodes").asInt(), world.get("liar_nodes").asInt(),
                world.get("crashing_nodes").asInt(), world.get("outages").asInt(), world.get("members").asInt(),
                workloads, world.get("replicas_requested").asLong(), scenario.get("hours").asInt(),
                scenario.get("seed").asLong()));
        List<JsonNode> profiles = new ArrayList<>();
        r.get("profiles").forEach(profiles::add);
        md.append("| metric |");
        profiles.forEach(p -> md.append(' ').append(p.get("profile").asText()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(profiles.size())).append('\n');
        simulatorRow(md, profiles, "placement attempts", p -> count(p, "placement_attempts"));
        simulatorRow(md, profiles, "placement success rate", p -> percent(p.get("placement_success_rate").asDouble()));
        simulatorRow(md, profiles, "replicas lost to failures", p -> count(p, "replicas_lost"));
        simulatorRow(md, profiles, "of which to flaky nodes (failed starts + killed by their node)",
                p -> String.format(Locale.ROOT, "**%,d**", lostToFlakyNodes(p)));
        simulatorRow(md, profiles, "of which in node crashes", p -> count(p, "lost_in_crashes"));
        simulatorRow(md, profiles, "mean reliability of chosen nodes",
                p -> String.format(Locale.ROOT, "%.3f", p.get("mean_chosen_reliability").asDouble()));
        simulatorRow(md, profiles, "nodes evaluated per placement",
                p -> String.format(Locale.ROOT, "%.0f", p.get("mean_nodes_evaluated").asDouble()));
        simulatorRow(md, profiles, "cpu utilisation", p -> percent(p.get("cpu_utilisation").asDouble()));
        simulatorRow(md, profiles, "replicas missing at the end", p -> count(p, "replicas_missing_at_end"));
        simulatorRow(md, profiles, "credit balance Gini",
                p -> String.format(Locale.ROOT, "%.3f", p.get("balance_gini").asDouble()));
        simulatorRow(md, profiles, "credit balance std dev (credits)",
                p -> String.format(Locale.ROOT, "%,.1f", p.get("balance_std_dev_credits").asDouble()));
        simulatorRow(md, profiles, "g CO2 per hour",
                p -> String.format(Locale.ROOT, "%,.0f", p.get("co2_grams_per_hour").asDouble()));
        double wall = time.get("real");
        md.append(String.format(Locale.ROOT, "%nWall time: **%.1f s** for the whole command, the JVM's start"
                        + " included; %.1f s of cpu (user and system) over both profiles.%n%n", wall,
                time.get("user") + time.get("sys")));

        boolean targetSize = nodes == TARGET_SIMULATED_NODES && workloads == TARGET_SIMULATED_WORKLOADS;
        md.append(String.format(Locale.ROOT, "Target: %,d nodes and %,d workloads, both profiles, in under %.0f s; the"
                        + " mycelial profile loses fewer replicas to flaky nodes than the simple one and keeps the"
                        + " members' balance spread lower (Gini and standard deviation). This run: ",
                TARGET_SIMULATED_NODES, TARGET_SIMULATED_WORKLOADS, TARGET_SIMULATION_SECONDS));
        if (targetSize) {
            md.append(String.format(Locale.ROOT, "%.1f s (%s)", wall, verdict(wall < TARGET_SIMULATION_SECONDS)));
        } else {
            md.append(String.format(Locale.ROOT, "%.1f s for %,d nodes and %,d workloads (not the target's size, so"
                    + " not judged)", wall, nodes, workloads));
        }
        JsonNode simple = profile(profiles, "simple");
        JsonNode mycelial = profile(profiles, "mycelial");
        if (simple == null || mycelial == null) {
            md.append("; the profiles were not both run, so they are not compared.\n\n");
            return;
        }
        long simpleLost = lostToFlakyNodes(simple);
        long mycelialLost = lostToFlakyNodes(mycelial);
        double simpleGini = simple.get("balance_gini").asDouble();
        double mycelialGini = mycelial.get("balance_gini").asDouble();
        double simpleSpread = simple.get("balance_std_dev_credits").asDouble();
        double mycelialSpread = mycelial.get("balance_std_dev_credits").asDouble();
        md.append(String.format(Locale.ROOT, "; %,d replicas lost to flaky nodes with mycelial against %,d with simple"
                        + " (%s); balance Gini %.3f against %.3f and standard deviation %,.1f against %,.1f credits"
                        + " (%s).%n%n", mycelialLost, simpleLost, verdict(mycelialLost < simpleLost), mycelialGini,
                simpleGini, mycelialSpread, simpleSpread,
                verdict(mycelialGini < simpleGini && mycelialSpread < simpleSpread)));
    }

    /**
     * The seconds of a {@code real … user … sys …} line (bash's {@code time} with that TIMEFORMAT).
     *
     * @throws IOException naming the line when one of the three is missing
     */
    static Map<String, Double> times(String text) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        String[] words = text.strip().split("\\s+");
        for (int k = 0; k + 1 < words.length; k += 2) {
            try {
                out.put(words[k], Double.parseDouble(words[k + 1]));
            } catch (NumberFormatException e) {
                throw new IOException("simulate-time.txt: '" + words[k + 1] + "' after '" + words[k]
                        + "' is not a number of seconds", e);
            }
        }
        for (String key : List.of("real", "user", "sys")) {
            if (!out.containsKey(key)) {
                throw new IOException("simulate-time.txt has no '" + key + "' seconds; expected a line like"
                        + " 'real 52.1 user 98.3 sys 1.2', got '" + text.strip() + "'");
            }
        }
        return out;
    }

    private static long lostToFlakyNodes(JsonNode profile) {
        return profile.get("start_failures").asLong() + profile.get("killed_by_node").asLong();
    }

    private static JsonNode profile(List<JsonNode> profiles, String name) {
        return profiles.stream().filter(p -> p.get("profile").asText().equals(name)).findFirst().orElse(null);
    }

    private static void simulatorRow(StringBuilder md, List<JsonNode> profiles, String metric,
                                     Function<JsonNode, String> value) {
        md.append("| ").append(metric).append(" |");
        for (JsonNode p : profiles) md.append(' ').append(value.apply(p)).append(" |");
        md.append('\n');
    }

    private static String count(JsonNode profile, String field) {
        return String.format(Locale.ROOT, "%,d", profile.get(field).asLong());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }
}
