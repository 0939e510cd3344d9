package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.bench.BenchProfiles;
import dev.hypha.bench.SchedulerBench;
import dev.hypha.cli.CliContext;
import dev.hypha.cli.output.OutputFormat;
import dev.hypha.cli.output.Printer;
import dev.hypha.cli.output.Table;
import dev.hypha.model.Json;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hypha bench scheduler}: the scheduler's placements per second on a generated cluster, in
 * this process, with the naive scheduler measured in the same run as the baseline.
 */
@Command(name = "bench", description = "Measure Hypha on this machine.",
        subcommands = BenchCommand.SchedulerBenchCommand.class)
public final class BenchCommand {
    @Command(name = "scheduler", description = "Placements per second of the scheduler alone, on a generated"
            + " cluster of mixed nodes with a mix of workloads (some limited to regions), each placement seeing the"
            + " ones before it. The naive scheduler (every node scored for every replica) is measured in the same run"
            + " as the baseline, on at most --baseline-placements placements.")
    static final class SchedulerBenchCommand implements Callable<Integer> {
        private final CliContext context;

        @Spec CommandSpec spec;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "5000", description = "Nodes in the cluster (default 5000).")
        int nodes;

        @Option(names = "--placements", paramLabel = "N", defaultValue = "50000",
                description = "Placements to measure (default 50000).")
        int placements;

        @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "mycelial",
                description = "Scheduler profile: mycelial (default) or simple.")
        String profile;

        @Option(names = "--baseline-placements", paramLabel = "N",
                defaultValue = "" + SchedulerBench.DEFAULT_BASELINE_PLACEMENTS,
                description = "At most this many placements for the naive baseline (default 2000).")
        int baselinePlacements;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the cluster and the workloads.")
        long seed;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "Output format: table (default), json or yaml.")
        OutputFormat output;

        SchedulerBenchCommand(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (!BenchProfiles.NAMES.contains(profile)) {
                throw new ParameterException(spec.commandLine(), "--profile '" + profile + "' is not one of "
                        + String.join(", ", BenchProfiles.NAMES));
            }
            SchedulerBench.Options options;
            try {
                SchedulerBench.Options defaults = SchedulerBench.Options.of(profile, nodes, placements);
                options = new SchedulerBench.Options(profile, nodes, placements, defaults.warmupPlacements(),
                        baselinePlacements, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (output == OutputFormat.TABLE) {
                context.err().printf("hypha: measuring %s on %,d nodes: %,d placements after a warm-up, then the naive"
                        + " baseline…%n", profile, nodes, placements);
                context.err().flush();
            }
            SchedulerBench.Result result = SchedulerBench.run(options);
            JsonNode tree = Json.mapper().valueToTree(result);
            new Printer(context.out(), output).print(tree, t -> table(result));
            return 0;
        }
    }

    /** The summary for people: one row per scheduler, then the ratio and what the baseline was measured on. */
    static String table(SchedulerBench.Result r) {
        Table t = Table.of("scheduler", "placements", "placements/s", "p50", "p99", "cpu placements/s");
        t.row("pipeline (" + r.profile() + ")", String.format(Locale.ROOT, "%,d", r.placements()),
                rate(r.placementsPerSecond()), millis(r.p50Ms()), millis(r.p99Ms()), rate(r.cpuPlacementsPerSecond()));
        t.row("naive (" + r.profile() + ")", String.format(Locale.ROOT, "%,d", r.baselinePlacements()),
                rate(r.baselinePlacementsPerSecond()), millis(r.baselineP50Ms()), millis(r.baselineP99Ms()), "-");
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Scheduler on %,d nodes, profile %s (%,d assigned, %,d unplaceable,"
                        + " %.0f nodes evaluated per placement)%n%n", r.nodes(), r.profile(), r.assigned(), r.unplaceable(),
                r.meanNodesEvaluated()));
        out.append(t.render());
        out.append(String.format(Locale.ROOT, "%n%.1f× the naive scheduler's placements per second.%n", r.ratioToBaseline()));
        if (r.baselineBounded()) {
            out.append(String.format(Locale.ROOT, "The naive baseline was measured on the first %,d placements only"
                    + " (--baseline-placements).%n", r.baselinePlacements()));
        }
        out.append("Wall-clock rates; cpu placements/s counts only the measuring thread's cpu time.\n");
        return out.toString();
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, "%.3f ms", ms);
    }
}
