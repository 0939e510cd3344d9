package dev.hypha.testkit.net;

import dev.hypha.core.membership.SwimConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs the standard SWIM scenarios on the simulator and prints their reports: a crash among N
 * members, N members on links that lose 10 % of datagrams, and a broadcast to N members.
 *
 * <p>Usage: {@code SimulationMain [members] [seed] [all|crash|loss|broadcast] [loss periods]}
 * (defaults 1000, 1, all and 300), with the LAN profile.
 */
public final class SimulationMain {
    private SimulationMain() {}

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        String scenario = args.length > 2 ? args[2] : "all";
        int lossPeriods = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        SwimConfig config = SwimConfig.lan();
        if (scenario.equals("all") || scenario.equals("crash")) {
            print("crash of 3 members", crashDetection(members, config, seed));
        }
        if (scenario.equals("all") || scenario.equals("loss")) {
            print("10 % datagram loss for " + lossPeriods + " periods",
                    lossyRun(members, config, seed, 0.10, lossPeriods));
        }
        if (scenario.equals("all") || scenario.equals("broadcast")) {
            print("one broadcast", dissemination(members, config, seed));
        }
    }

    /** Crashes three members a few periods apart and runs until every live member has declared them dead. */
    public static Result crashDetection(int members, SwimConfig config, long seed) {
        long start = System.nanoTime();
        SwimSimulator sim = joined(members, config, seed);
        for (int i = 1; i <= 3; i++) {
            sim.crash(sim.id(i * members / 4));
            sim.runFor(config.probeInterval().multipliedBy(5));
        }
        sim.runUntil(sim::crashesDetected, config.probeInterval().multipliedBy(200));
        return new Result(sim.report(), sim, System.nanoTime() - start);
    }

    /** Runs {@code periods} protocol periods with {@code loss} on every link; nobody crashes. */
    public static Result lossyRun(int members, SwimConfig config, long seed, double loss, int periods) {
        long start = System.nanoTime();
        SwimSimulator sim = joined(members, config, seed);
        sim.network().setLoss(loss);
        sim.runFor(config.probeInterval().multipliedBy(periods));
        return new Result(sim.report(), sim, System.nanoTime() - start);
    }

    /** Broadcasts once from a member and runs until everyone has it. */
    public static Result dissemination(int members, SwimConfig config, long seed) {
        long start = System.nanoTime();
        SwimSimulator sim = joined(members, config, seed);
        sim.broadcast(sim.id(members / 2), "reputation", "observation: node-0042 finished 17 of 17".getBytes());
        int size = sim.size();
        sim.runUntil(() -> sim.broadcastReach() == size, config.probeInterval().multipliedBy(60));
        return new Result(sim.report(), sim, System.nanoTime() - start);
    }

    private static SwimSimulator joined(int members, SwimConfig config, long seed) {
        SwimSimulator sim = new SwimSimulator(members, config, seed);
        sim.joinAll(config.probeInterval().multipliedBy(600));
        return sim;
    }

    private static void print(String title, Result result) {
        System.out.println("== " + title);
        System.out.println(result.report().format());
        System.out.printf(Locale.ROOT, "  wall time: %.2f s%n%n", result.wallNanos() / 1e9);
    }

    /** A report with the simulator that produced it and the wall time it took (setup included). */
    public record Result(SimulationReport report, SwimSimulator simulator, long wallNanos) {
        public Duration wall() {
            return Duration.ofNanos(wallNanos);
        }
    }
}
