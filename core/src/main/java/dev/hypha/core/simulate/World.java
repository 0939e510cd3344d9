package dev.hypha.core.simulate;

import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.WorkloadSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The cluster a {@link Scenario} describes, generated once from its seed: nodes with regions,
 * prices, carbon intensities and behaviours, the members that own them, the stream of workloads,
 * and every node crash. Immutable, so one world can be run under several scheduler profiles (even
 * at once) and each sees exactly the same scenario.
 *
 * <p>Three independent random streams, split from the seed in a fixed order, make the nodes, the
 * workloads and the outages: changing the number of workloads changes no node.
 *
 * <h2>What is generated</h2>
 * <ul>
 *   <li><b>Nodes</b> {@code n1…nN}: a region from {@link #REGIONS} by its share; a shape from
 *       {@link #SHAPES} (4 to 32 cores, 2 GiB per core, its power profile and price); carbon
 *       intensity ±20% around the region's; price ±10% around shape price x region factor.
 *       Each node is independently flaky, a liar and crashing with the scenario's fractions, and
 *       has {@code witnesses} distinct other nodes observing it.</li>
 *   <li><b>Members</b> {@code m1…mM}, one per ten nodes (at least two). Every member owns at least
 *       one node; the other nodes, and the workloads, go to members in proportion to log-normal
 *       weights (σ = 1), drawn separately for owning and for submitting, so some members mostly
 *       give and others mostly take, as in a real cooperative.</li>
 *   <li><b>Workloads</b> {@code w1…wW}, arriving uniformly over the simulated hours: 1, 2, 3 or 5
 *       replicas (40/25/25/10%); 100m to 2 cores (mean 570m) with 0.5 to 3 MiB of memory per
 *       millicore; 20% prefer high reputation; 10% are held to one or two regions; an exponential
 *       lifetime; they use 20–100% of their cpu request and 40–100% of their memory.</li>
 *   <li><b>Outages</b> of crashing nodes: exponential times between crashes, downtime uniform
 *       around the scenario's mean.</li>
 * </ul>
 */
public final class World {
    /** The instant the virtual clock starts at: any fixed instant works; this one reads well in logs. */
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    public static final long HOUR_MILLIS = 3_600_000L;

    /** Six regions with carbon intensities of their typical grids (g CO2/kWh) and relative prices. */
    public static final List<Region> REGIONS = List.of(
            new Region("eu-north", 30, 0.90, 0.10),
            new Region("eu-west", 230, 1.00, 0.25),
            new Region("us-east", 380, 0.85, 0.25),
            new Region("us-west", 210, 1.05, 0.15),
            new Region("ap-south", 630, 0.70, 0.15),
            new Region("sa-east", 90, 0.80, 0.10));

    /** A machine size: capacity, power draw at idle and full load, base price per hour, and its share. */
    public record Shape(Resources capacity, PowerProfile power, double costPerHour, double share) {}

    public static final List<Shape> SHAPES = List.of(
            new Shape(new Resources(4_000, 8_192, 102_400), new PowerProfile(40, 180), 0.10, 0.30),
            new Shape(new Resources(8_000, 16_384, 204_800), new PowerProfile(60, 250), 0.20, 0.35),
            new Shape(new Resources(16_000, 32_768, 409_600), new PowerProfile(90, 350), 0.40, 0.25),
            new Shape(new Resources(32_000, 65_536, 819_200), new PowerProfile(140, 500), 0.80, 0.10));

    private static final int[] REPLICAS = {1, 2, 3, 5};
    private static final double[] REPLICA_SHARES = {0.40, 0.25, 0.25, 0.10};
    private static final int[] CPU_MILLICORES = {100, 250, 500, 1_000, 2_000};
    private static final double[] CPU_SHARES = {0.20, 0.30, 0.25, 0.15, 0.10};
    private static final double[] MEMORY_PER_MILLICORE = {0.5, 1, 2, 3};
    private static final double PREFER_HIGH_REPUTATION = 0.20;
    private static final double REGION_BOUND = 0.10;
    private static final int NODES_PER_MEMBER = 10;

    private final Scenario scenario;
    private final List<SimulatedNode> nodes;
    private final List<String> members;
    private final List<PlannedWorkload> workloads;
    private final List<Outage> outages;

    private World(Scenario scenario, List<SimulatedNode> nodes, List<String> members, List<PlannedWorkload> workloads,
                  List<Outage> outages) {
        this.scenario = scenario;
        this.nodes = nodes;
        this.members = members;
        this.workloads = workloads;
        this.outages = outages;
    }

    /** The world of {@code scenario}: the same scenario always gives the same world. */
    public static World generate(Scenario scenario) {
        SplittableRandom root = new SplittableRandom(scenario.seed());
        SplittableRandom nodeRandom = root.split();
        SplittableRandom workloadRandom = root.split();
        SplittableRandom outageRandom = root.split();

        int memberCount = Math.max(2, scenario.nodes() / NODES_PER_MEMBER);
        List<String> members = new ArrayList<>(memberCount);
        for (int m = 0; m < memberCount; m++) members.add("m" + (m + 1));
        double[] owning = logNormalWeights(nodeRandom, memberCount);
        double[] submitting = logNormalWeights(workloadRandom, memberCount);

        List<SimulatedNode> nodes = nodes(scenario, nodeRandom, members, owning);
        List<PlannedWorkload> workloads = workloads(scenario, workloadRandom, members, submitting);
        List<Outage> outages = outages(scenario, outageRandom, nodes);
        return new World(scenario, List.copyOf(nodes), List.copyOf(members), List.copyOf(workloads),
                List.copyOf(outages));
    }

    private static List<SimulatedNode> nodes(Scenario s, SplittableRandom random, List<String> members,
                                             double[] owning) {
        double[] regionShares = REGIONS.stream().mapToDouble(Region::share).toArray();
        double[] shapeShares = SHAPES.stream().mapToDouble(Shape::share).toArray();
        double crashesPerHour = 1 / s.crashMeanHours();
        List<SimulatedNode> out = new ArrayList<>(s.nodes());
        for (int i = 0; i < s.nodes(); i++) {
            Region region = REGIONS.get(pick(random, regionShares));
            Shape shape = SHAPES.get(pick(random, shapeShares));
            // Every member owns at least one node; the rest follow the owning weights.
            String member = i < members.size() ? members.get(i) : members.get(pick(random, owning));
            double carbon = region.carbonIntensity() * (0.8 + 0.4 * random.nextDouble());
            double price = shape.costPerHour() * region.priceFactor() * (0.9 + 0.2 * random.nextDouble());
            Node node = new Node("n" + (i + 1), member, NodeState.ALIVE, region.name(), shape.capacity(),
                    round(price, 4), round(carbon, 1), shape.power(), null, null, EPOCH, EPOCH);
            boolean flaky = random.nextDouble() < s.flaky();
            boolean liar = random.nextDouble() < s.liars();
            boolean crashing = random.nextDouble() < s.crashing();
            double startFailure = flaky ? Math.min(1, s.flakyStartFailure() * (0.5 + random.nextDouble())) : 0;
            out.add(new SimulatedNode(node, flaky, liar, crashing, startFailure, flaky ? s.flakyKillsPerHour() : 0,
                    crashing ? crashesPerHour : 0, witnesses(random, i, s.nodes(), s.witnesses())));
        }
        return out;
    }

    /** {@code count} distinct nodes other than {@code self}, sorted. */
    private static List<Integer> witnesses(SplittableRandom random, int self, int nodes, int count) {
        int[] chosen = new int[count];
        int n = 0;
        while (n < count) {
            int candidate = random.nextInt(nodes);
            if (candidate == self) continue;
            boolean seen = false;
            for (int k = 0; k < n; k++) seen |= chosen[k] == candidate;
            if (!seen) chosen[n++] = candidate;
        }
        Arrays.sort(chosen);
        return Arrays.stream(chosen).boxed().toList();
    }

    private static List<PlannedWorkload> workloads(Scenario s, SplittableRandom random, List<String> members,
                                                   double[] submitting) {
        long horizon = s.hours() * HOUR_MILLIS;
        long[] arrivals = new long[s.workloads()];
        for (int k = 0; k < arrivals.length; k++) arrivals[k] = random.nextLong(horizon);
        Arrays.sort(arrivals);
        double meanLifetime = s.workloadMeanHours() * HOUR_MILLIS;
        List<PlannedWorkload> out = new ArrayList<>(arrivals.length);
        for (int k = 0; k < arrivals.length; k++) {
            int replicas = REPLICAS[pick(random, REPLICA_SHARES)];
            int cpu = CPU_MILLICORES[pick(random, CPU_SHARES)];
            double perMillicore = MEMORY_PER_MILLICORE[random.nextInt(MEMORY_PER_MILLICORE.length)];
            long memory = Math.max(64, Math.round(cpu * perMillicore / 64) * 64);
            boolean preferHigh = random.nextDouble() < PREFER_HIGH_REPUTATION;
            List<String> regions = random.nextDouble() < REGION_BOUND ? regions(random) : List.of();
            String member = members.get(pick(random, submitting));
            WorkloadSpec spec = new WorkloadSpec("w" + (k + 1), "busybox", List.of(), replicas,
                    new Resources(cpu, memory, 0), RestartPolicy.ALWAYS, member, Map.of(),
                    new PlacementConstraints(preferHigh, regions));
            long lifetime = (long) Math.ceil(exponential(random, meanLifetime));
            double cpuUse = 0.2 + 0.8 * random.nextDouble();
            double memoryUse = 0.4 + 0.6 * random.nextDouble();
            out.add(new PlannedWorkload(spec, arrivals[k], saturatingAdd(arrivals[k], lifetime), cpuUse, memoryUse));
        }
        return out;
    }

    /** One region, or two different ones, in the order of {@link #REGIONS}. */
    private static List<String> regions(SplittableRandom random) {
        int first = random.nextInt(REGIONS.size());
        if (random.nextBoolean()) return List.of(REGIONS.get(first).name());
        int second = (first + 1 + random.nextInt(REGIONS.size() - 1)) % REGIONS.size();
        return List.of(REGIONS.get(Math.min(first, second)).name(), REGIONS.get(Math.max(first, second)).name());
    }

    private static List<Outage> outages(Scenario s, SplittableRandom random, List<SimulatedNode> nodes) {
        long horizon = s.hours() * HOUR_MILLIS;
        double meanUp = s.crashMeanHours() * HOUR_MILLIS;
        double meanDown = s.downtimeMinutes() * 60_000;
        List<Outage> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).crashing()) continue;
            double t = exponential(random, meanUp);
            while (t < horizon) {
                long down = (long) t;
                long up = down + Math.max(1_000, (long) (meanDown * (0.5 + random.nextDouble())));
                out.add(new Outage(i, down, up));
                t = up + exponential(random, meanUp);
            }
        }
        out.sort(Comparator.comparingLong(Outage::downAt).thenComparingInt(Outage::node));
        return out;
    }

    private static double[] logNormalWeights(SplittableRandom random, int n) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) w[k] = Math.exp(random.nextGaussian());
        return w;
    }

    static double exponential(SplittableRandom random, double mean) {
        return -Math.log(1 - random.nextDouble()) * mean;
    }

    /** An index drawn in proportion to {@code weights}. */
    static int pick(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double w : weights) total += w;
        double x = random.nextDouble() * total;
        for (int k = 0; k < weights.length - 1; k++) {
            x -= weights[k];
            if (x < 0) return k;
        }
        return weights.length - 1;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The nodes, in the order of their ids {@code n1, n2, …}. */
    public List<SimulatedNode> nodes() {
        return nodes;
    }

    public List<String> members() {
        return members;
    }

    /** The workloads in order of arrival. */
    public List<PlannedWorkload> workloads() {
        return workloads;
    }

    /** Every crash, in order of time. */
    public List<Outage> outages() {
        return outages;
    }

    /** The end of the simulation, in virtual milliseconds. */
    public long horizonMillis() {
        return scenario.hours() * HOUR_MILLIS;
    }

    /** Counts that describe this world, for the report's header. */
    public WorldSummary summary() {
        int flaky = 0, liars = 0, crashing = 0;
        long cpu = 0;
        for (SimulatedNode n : nodes) {
            if (n.flaky()) flaky++;
            if (n.liar()) liars++;
            if (n.crashing()) crashing++;
            cpu += n.node().capacity().cpuMillicores();
        }
        long replicas = 0;
        for (PlannedWorkload w : workloads) replicas += w.spec().replicas();
        return new WorldSummary(nodes.size(), members.size(), flaky, liars, crashing, outages.size(), workloads.size(),
                replicas, cpu);
    }
}
