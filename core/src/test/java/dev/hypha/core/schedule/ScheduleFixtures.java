package dev.hypha.core.schedule;

import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small object mothers for the scheduler's tests. The richer builders live in the testkit, which
 * depends on core and so cannot be used from core's own tests.
 */
final class ScheduleFixtures {
    private ScheduleFixtures() {}

    static Node node(String id, long cpu, long memory, String region, NodeState state) {
        return new Node(id, null, state, region, new Resources(cpu, memory, 20_480), 0.1, 200, null, null, null, null, null);
    }

    static NodeSnapshot free(String id) {
        return snapshotOf(node(id, 4000, 8192, "eu", NodeState.ALIVE), Resources.ZERO, Map.of());
    }

    static NodeSnapshot snapshotOf(Node node, Resources allocated, Map<String, Integer> counts) {
        return new NodeSnapshot(node, allocated, counts, null);
    }

    static NodeSnapshot loaded(String id, long cpuUsed, long memoryUsed) {
        return snapshotOf(node(id, 4000, 8192, "eu", NodeState.ALIVE), new Resources(cpuUsed, memoryUsed, 0), Map.of());
    }

    static ClusterSnapshot cluster(List<NodeSnapshot> nodes) {
        return new ClusterSnapshot(nodes, Map.of(), 1);
    }

    static ClusterSnapshot cluster(NodeSnapshot... nodes) {
        return cluster(List.of(nodes));
    }

    /** {@code count} identical free nodes n00000, n00001 … */
    static ClusterSnapshot uniform(int count) {
        List<NodeSnapshot> nodes = new ArrayList<>(count);
        for (int k = 0; k < count; k++) nodes.add(free(String.format("n%05d", k)));
        return cluster(nodes);
    }

    static WorkloadSpec spec(String name, long cpu, long memory, String... regions) {
        return new WorkloadSpec(name, "busybox:1", null, 1, new Resources(cpu, memory, 0), RestartPolicy.ALWAYS, null,
                null, new PlacementConstraints(false, List.of(regions)));
    }

    static PlacementRequest request(WorkloadSpec spec, long seed) {
        return new PlacementRequest(spec, spec.name() + "-" + seed, seed);
    }

    static PlacementRequest request(long seed) {
        return request(spec("web", 250, 256), seed);
    }
}
