package dev.hypha.core.simulate;

import dev.hypha.model.InvalidSpecException;

/**
 * The knobs of one simulated cluster: how many nodes and workloads, for how long, how nodes
 * misbehave, and the seed that makes every random choice reproducible.
 *
 * <p>Validated when built, so a bad {@code hypha simulate} flag fails with a sentence before any
 * work. Every scheduler profile of one run sees the {@link World} this scenario generates, so
 * their numbers compare like with like. {@link #of} gives the defaults, each explained there;
 * the {@code with…} methods change one knob.
 *
 * @param seed                  every random choice of the world and of each profile's run derives from it
 * @param nodes                 simulated machines
 * @param workloads             workloads that arrive, spread uniformly over the simulated hours
 * @param hours                 length of the simulation on the virtual clock
 * @param flaky                 fraction of nodes whose container starts fail with
 *                              {@code flakyStartFailure} probability and that kill running replicas
 * @param liars                 fraction of nodes that report false observations about the nodes they witness
 * @param crashing              fraction of nodes that crash now and then and come back empty
 * @param flakyStartFailure     mean probability that a flaky node fails a container start (each
 *                              flaky node draws its own between half and one and a half times this)
 * @param flakyKillsPerHour     rate at which a flaky node kills a running replica unasked, per replica-hour
 * @param crashMeanHours        mean time between crashes of a crashing node (exponential)
 * @param downtimeMinutes       mean time a crashed node stays down (uniform between half and one and a half times this)
 * @param workloadMeanHours     mean lifetime of a workload (exponential); many outlive the simulation
 * @param witnesses             peers that observe each node's work besides the server (its gossip neighbours)
 */
public record Scenario(long seed, int nodes, int workloads, int hours, double flaky, double liars, double crashing,
                       double flakyStartFailure, double flakyKillsPerHour, double crashMeanHours,
                       double downtimeMinutes, double workloadMeanHours, int witnesses) {
    /** The most nodes a scenario may have: far beyond the 10,000 the simulator is built for. */
    public static final int MAX_NODES = 1_000_000;
    public static final int MAX_WORKLOADS = 10_000_000;
    /** Four weeks: the reputation horizon is two, so longer runs show nothing new. */
    public static final int MAX_HOURS = 24 * 28;

    public Scenario {
        if (nodes < 2 || nodes > MAX_NODES) {
            throw new InvalidSpecException("a simulation needs between 2 and " + MAX_NODES + " nodes, got " + nodes);
        }
        if (workloads < 0 || workloads > MAX_WORKLOADS) {
            throw new InvalidSpecException("the number of workloads must be between 0 and " + MAX_WORKLOADS + ", got "
                    + workloads);
        }
        if (hours < 1 || hours > MAX_HOURS) {
            throw new InvalidSpecException("the simulated time must be between 1 and " + MAX_HOURS + " hours, got " + hours);
        }
        unit("the flaky fraction", flaky);
        unit("the liars fraction", liars);
        unit("the crashing fraction", crashing);
        unit("the flaky start failure probability", flakyStartFailure);
        positiveOrZero("flaky kills per hour", flakyKillsPerHour);
        positive("mean hours between crashes", crashMeanHours);
        positive("mean downtime in minutes", downtimeMinutes);
        positive("mean workload lifetime in hours", workloadMeanHours);
        if (witnesses < 0 || witnesses >= nodes) {
            throw new InvalidSpecException("each node needs between 0 and " + (nodes - 1)
                    + " witnesses (other nodes), got " + witnesses);
        }
    }

    /**
     * The defaults for {@code nodes}, {@code workloads} and {@code seed}:
     * <ul>
     *   <li>24 hours: one day of arrivals, departures and crashes, and 24 reputation rounds;</li>
     *   <li>10% flaky nodes failing half their starts and killing a running replica every ten
     *       replica-hours: bad enough to matter, rare enough that the cluster still works;</li>
     *   <li>5% liars and 5% crashing nodes, crashing every 6 hours on average and down for about
     *       half an hour (long enough that gossip declares them dead);</li>
     *   <li>workloads live 12 hours on average: with ten workloads per node arriving over a day,
     *       about a third of the cluster's cpu is allocated on average, and no node is short of room
     *       for long;</li>
     *   <li>two witnesses per node, as a small SWIM probe group (one on a two-node cluster).</li>
     * </ul>
     */
    public static Scenario of(int nodes, int workloads, long seed) {
        return new Scenario(seed, nodes, workloads, 24, 0.10, 0.05, 0.05, 0.5, 0.1, 6, 30, 12, Math.min(2, nodes - 1));
    }

    public Scenario withHours(int h) {
        return new Scenario(seed, nodes, workloads, h, flaky, liars, crashing, flakyStartFailure, flakyKillsPerHour,
                crashMeanHours, downtimeMinutes, workloadMeanHours, witnesses);
    }

    /** The same scenario with these fractions of flaky, lying and crashing nodes. */
    public Scenario withMisbehaviour(double flakyFraction, double liarFraction, double crashingFraction) {
        return new Scenario(seed, nodes, workloads, hours, flakyFraction, liarFraction, crashingFraction,
                flakyStartFailure, flakyKillsPerHour, crashMeanHours, downtimeMinutes, workloadMeanHours, witnesses);
    }

    /** The same scenario where flaky nodes fail starts with this mean probability and kill at this rate. */
    public Scenario withFlakiness(double startFailure, double killsPerHour) {
        return new Scenario(seed, nodes, workloads, hours, flaky, liars, crashing, startFailure, killsPerHour,
                crashMeanHours, downtimeMinutes, workloadMeanHours, witnesses);
    }

    public Scenario withWorkloadMeanHours(double meanHours) {
        return new Scenario(seed, nodes, workloads, hours, flaky, liars, crashing, flakyStartFailure,
                flakyKillsPerHour, crashMeanHours, downtimeMinutes, meanHours, witnesses);
    }

    private static void unit(String what, double v) {
        if (!(v >= 0 && v <= 1)) throw new InvalidSpecException(what + " must be in 0..1, got " + v);
    }

    private static void positive(String what, double v) {
        if (!(v > 0 && Double.isFinite(v))) throw new InvalidSpecException("the " + what + " must be positive, got " + v);
    }

    private static void positiveOrZero(String what, double v) {
        if (!(v >= 0 && Double.isFinite(v))) {
            throw new InvalidSpecException("the " + what + " must be zero or positive, got " + v);
        }
    }
}
