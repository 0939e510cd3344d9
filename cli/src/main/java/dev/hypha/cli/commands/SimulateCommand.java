package dev.hypha.cli.commands;

import dev.hypha.cli.CliContext;
import dev.hypha.cli.CliException;
import dev.hypha.cli.output.OutputFormat;
import dev.hypha.cli.output.Printer;
import dev.hypha.cli.output.Table;
import dev.hypha.core.schedule.SchedulerProfile;
import dev.hypha.core.simulate.ProfileReport;
import dev.hypha.core.simulate.Scenario;
import dev.hypha.core.simulate.SimulatedProfiles;
import dev.hypha.core.simulate.SimulationReport;
import dev.hypha.core.simulate.Simulator;
import dev.hypha.core.simulate.World;
import dev.hypha.core.simulate.WorldSummary;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hypha simulate}: runs a seeded cluster scenario on a virtual clock under several scheduler
 * profiles and prints their results side by side. Needs no server: the simulator is the core's
 * pure code ({@link Simulator}).
 *
 * <p>Profiles run on threads of their own (one per profile, at most one per processor) over one
 * generated world; each run is deterministic on its own, so the report is the same however many
 * threads ran it. The wall-clock time goes to stderr, so stdout stays identical for equal seeds.
 */
@Command(name = "simulate", sortOptions = false,
        description = {"Simulate a cluster on a virtual clock and compare scheduler profiles side by side.",
                "Nodes have regions, prices and carbon intensities; some are flaky (starts fail, replicas killed),"
                        + " some lie about others' reputation, some crash and come back. Workloads arrive and leave."
                        + " The same seed gives the same report."})
public final class SimulateCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1000", description = "Simulated nodes (default: 1000).")
    int nodes;

    @Option(names = "--workloads", paramLabel = "N", defaultValue = "10000",
            description = "Workloads arriving over the simulated time (default: 10000).")
    int workloads;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed (default: 42).")
    long seed;

    @Option(names = "--flaky", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Fraction of flaky nodes: starts fail, running replicas get killed (default: 0.1).")
    double flaky;

    @Option(names = "--liars", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "Fraction of nodes that report false observations of others (default: 0.05).")
    double liars;

    @Option(names = "--crashing", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "Fraction of nodes that crash now and then and come back (default: 0.05).")
    double crashing;

    @Option(names = "--hours", paramLabel = "H", defaultValue = "24", description = "Simulated hours (default: 24).")
    int hours;

    @Option(names = "--profiles", paramLabel = "PROFILE", split = ",", defaultValue = "simple,mycelial",
            description = "Scheduler profiles to compare: simple, mycelial (default: both).")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N",
            description = "Profiles run at once (default: one per profile, at most one per processor).")
    Integer threads;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: table (default), json or yaml.")
    OutputFormat output;

    SimulateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Scenario scenario = usage(() -> Scenario.of(nodes, workloads, seed).withHours(hours)
                .withMisbehaviour(flaky, liars, crashing));
        List<SchedulerProfile> chosen = chosenProfiles();
        int parallel = threads != null ? threads : Math.min(chosen.size(), Runtime.getRuntime().availableProcessors());
        if (parallel < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + parallel);

        Instant started = context.clock().instant();
        World world = World.generate(scenario);
        SimulationReport report = Simulator.report(world, runAll(world, chosen, parallel));
        Duration took = Duration.between(started, context.clock().instant());

        new Printer(context.out(), output).print(Json.mapper().valueToTree(report), json -> table(report));
        context.err().printf(Locale.ROOT, "hypha: simulated %d h of %d nodes and %d workloads under %d profile%s in %.1f s%n",
                scenario.hours(), scenario.nodes(), scenario.workloads(), chosen.size(), chosen.size() == 1 ? "" : "s",
                took.toMillis() / 1000.0);
        context.err().flush();
        return 0;
    }

    private List<SchedulerProfile> chosenProfiles() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String p : profiles) {
            String name = p.trim();
            if (!names.add(name)) {
                throw new ParameterException(spec.commandLine(), "--profiles lists '" + name + "' twice");
            }
        }
        if (names.isEmpty()) throw new ParameterException(spec.commandLine(), "--profiles needs at least one profile");
        List<SchedulerProfile> out = new ArrayList<>();
        for (String name : names) out.add(usage(() -> SimulatedProfiles.named(name)));
        return out;
    }

    private static List<ProfileReport> runAll(World world, List<SchedulerProfile> profiles, int parallel)
            throws InterruptedException {
        if (parallel == 1) return profiles.stream().map(p -> Simulator.runProfile(world, p)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "hypha-simulate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ProfileReport>> runs = new ArrayList<>();
            for (SchedulerProfile p : profiles) runs.add(pool.submit(() -> Simulator.runProfile(world, p)));
            List<ProfileReport> out = new ArrayList<>();
            for (Future<ProfileReport> run : runs) {
                try {
                    out.add(run.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) throw re;
                    if (cause instanceof Error error) throw error;
                    throw new CliException("the simulation failed: " + cause, cause);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The scenario's parameters, or a usage error (exit code 2) with the model's sentence. */
    private <T> T usage(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidSpecException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The side-by-side table: one row per metric, one column per profile. */
    static String table(SimulationReport report) {
        Scenario s = report.scenario();
        WorldSummary w = report.world();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Simulated %d h, seed %d: %d nodes (%d flaky, %d liars, %d crashing;"
                        + " %d crashes), %d members, %d workloads asking for %d replicas.%n%n", s.hours(), s.seed(),
                w.nodes(), w.flakyNodes(), w.liarNodes(), w.crashingNodes(), w.outages(), w.members(), w.workloads(),
                w.replicasRequested()));
        List<String> headers = new ArrayList<>();
        headers.add("metric");
        for (ProfileReport p : report.profiles()) headers.add(p.profile());
        Table t = Table.of(headers);
        row(t, report, "placement attempts", p -> Long.toString(p.placementAttempts()));
        row(t, report, "  placed", p -> Long.toString(p.placed()));
        row(t, report, "  unplaceable", p -> Long.toString(p.unplaceable()));
        row(t, report, "placement success rate", p -> percent(p.placementSuccessRate()));
        row(t, report, "replicas lost to failures", p -> Long.toString(p.replicasLost()));
        row(t, report, "  failed starts", p -> Long.toString(p.startFailures()));
        row(t, report, "  killed by their node", p -> Long.toString(p.killedByNode()));
        row(t, report, "  lost in node crashes", p -> Long.toString(p.lostInCrashes()));
        row(t, report, "mean reliability of chosen nodes", p -> fixed(p.meanChosenReliability(), 3));
        row(t, report, "nodes evaluated per placement", p -> fixed(p.meanNodesEvaluated(), 0));
        row(t, report, "cpu utilisation", p -> percent(p.cpuUtilisation()));
        row(t, report, "running replicas (mean)", p -> fixed(p.meanRunningReplicas(), 0));
        row(t, report, "replicas missing at the end", p -> Long.toString(p.replicasMissingAtEnd()));
        row(t, report, "credit balance gini", p -> fixed(p.balanceGini(), 3));
        row(t, report, "credit balance std dev (credits)", p -> fixed(p.balanceStdDevCredits(), 1));
        row(t, report, "co2 grams per hour", p -> fixed(p.co2GramsPerHour(), 0));
        row(t, report, "cost per hour", p -> fixed(p.costPerHour(), 2));
        out.append(t.render());
        return out.toString();
    }

    private static void row(Table t, SimulationReport report, String metric, Function<ProfileReport, String> value) {
        List<String> cells = new ArrayList<>();
        cells.add(metric);
        for (ProfileReport p : report.profiles()) cells.add(value.apply(p));
        t.row(cells);
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
