package dev.hypha.core.intent;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.model.intent.IntentApplication;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built clusters and intents for the planner and evaluator tests: {@code node("n1")} is a full
 * valid node (4 cores, 8 GiB, eu-west, 0.12 per hour, 250 g/kWh, 40–180 W, neutral reputation); a
 * test changes only what it cares about.
 */
final class Fixtures {
    static final Resources REQUEST = new Resources(500, 512, 0);
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private Fixtures() {}

    static NodeBuilder node(String id) {
        return new NodeBuilder(id);
    }

    static ClusterSnapshot cluster(NodeBuilder... nodes) {
        return new ClusterSnapshot(Arrays.stream(nodes).map(NodeBuilder::build).toList(), Map.of(), 1);
    }

    static ClusterSnapshot cluster(List<NodeSnapshot> nodes) {
        return new ClusterSnapshot(nodes, Map.of(), 1);
    }

    static IntentSpec spec(IntentGoal goal, IntentConstraints constraints) {
        return new IntentSpec(goal, "web", constraints, new IntentApplication("busybox", List.of("httpd", "-f"),
                Map.of("MODE", "prod"), REQUEST), "alice", false);
    }

    static IntentSpec ha(IntentConstraints constraints) {
        return spec(IntentGoal.DEPLOY_HIGHLY_AVAILABLE_SERVICE, constraints);
    }

    static IntentSpec cheap(IntentConstraints constraints) {
        return spec(IntentGoal.DEPLOY_COST_OPTIMIZED_SERVICE, constraints);
    }

    static IntentSpec batch(IntentConstraints constraints) {
        return spec(IntentGoal.DEPLOY_BATCH_JOB, constraints);
    }

    static ConstraintsBuilder limits() {
        return new ConstraintsBuilder();
    }

    static Instance instance(String id, String nodeId, InstanceState state) {
        return new Instance(id, "web", 1, nodeId, DesiredState.RUN, state, null, null, 0, T0, null,
                state == InstanceState.STOPPED ? 0 : null, null, null, null);
    }

    /** A fluent builder of one node snapshot. */
    static final class NodeBuilder {
        private final String id;
        private String region = "eu-west";
        private NodeState state = NodeState.ALIVE;
        private long cpu = 4000;
        private long memory = 8192;
        private long disk = 20480;
        private Resources allocated = Resources.ZERO;
        private double cost = 0.12;
        private double carbon = 250;
        private PowerProfile power = PowerProfile.DEFAULT;
        private double ecologicalBalance = 0.5;
        private final Map<String, Integer> counts = new HashMap<>();

        private NodeBuilder(String id) {
            this.id = id;
        }

        NodeBuilder region(String r) {
            region = r;
            return this;
        }

        NodeBuilder state(NodeState s) {
            state = s;
            return this;
        }

        NodeBuilder capacity(long cpuMillicores, long memoryMb) {
            cpu = cpuMillicores;
            memory = memoryMb;
            return this;
        }

        NodeBuilder allocated(long cpuMillicores, long memoryMb) {
            allocated = new Resources(cpuMillicores, memoryMb, 0);
            return this;
        }

        NodeBuilder cost(double perHour) {
            cost = perHour;
            return this;
        }

        NodeBuilder carbon(double gramsPerKwh) {
            carbon = gramsPerKwh;
            return this;
        }

        NodeBuilder power(double idleWatts, double maxWatts) {
            power = new PowerProfile(idleWatts, maxWatts);
            return this;
        }

        NodeBuilder ecologicalBalance(double b) {
            ecologicalBalance = b;
            return this;
        }

        /** {@code n} replicas of {@code workload}, each of {@link #REQUEST}, already run here. */
        NodeBuilder running(String workload, int n) {
            counts.merge(workload, n, Integer::sum);
            allocated = allocated.plus(REQUEST.times(n));
            return this;
        }

        NodeSnapshot build() {
            Node node = new Node(id, null, state, region, new Resources(cpu, memory, disk), cost, carbon, power, null,
                    null, T0, T0);
            return new NodeSnapshot(node, allocated, counts, new Reputation(0.5, 0.5, ecologicalBalance, 0.5));
        }
    }

    /** A fluent builder of intent constraints; absent values stay absent. */
    static final class ConstraintsBuilder {
        private Integer min;
        private Integer max;
        private Double budget;
        private List<String> preferred = new ArrayList<>();
        private List<String> required = new ArrayList<>();
        private EcologicalPriority ecology;
        private Double carbonCap;

        ConstraintsBuilder min(int n) {
            min = n;
            return this;
        }

        ConstraintsBuilder max(int n) {
            max = n;
            return this;
        }

        ConstraintsBuilder budget(double perHour) {
            budget = perHour;
            return this;
        }

        ConstraintsBuilder preferred(String... regions) {
            preferred = List.of(regions);
            return this;
        }

        ConstraintsBuilder required(String... regions) {
            required = List.of(regions);
            return this;
        }

        ConstraintsBuilder ecology(EcologicalPriority p) {
            ecology = p;
            return this;
        }

        ConstraintsBuilder carbonCap(double gramsPerKwh) {
            carbonCap = gramsPerKwh;
            return this;
        }

        IntentConstraints build() {
            return new IntentConstraints(min, max, budget, preferred, required, ecology, carbonCap);
        }
    }
}
