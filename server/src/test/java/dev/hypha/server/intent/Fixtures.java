package dev.hypha.server.intent;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentApplication;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built intents, nodes and instances for the pure tests: {@code node("n1", ALIVE)} is a full
 * valid node of 4 cores and 8 GiB in region "r-" + its id; an intent's workload is "web" and its
 * replicas ask for 500m and 512Mi.
 */
final class Fixtures {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Resources REQUEST = new Resources(500, 512, 0);

    private Fixtures() {}

    static Node node(String id, NodeState state) {
        return new Node(id, null, state, "r-" + id, new Resources(4000, 8192, 0), 0.8, 100, PowerProfile.DEFAULT,
                null, null, T0, T0);
    }

    /** An intent of {@code goal} whose plan puts one replica on each of {@code nodes} (a node may repeat). */
    static Intent intent(IntentGoal goal, String... nodes) {
        int min = goal.spreadsReplicas() ? 2 : 1;
        IntentSpec spec = new IntentSpec(goal, "web", new IntentConstraints(min, Math.max(min, nodes.length), null, null,
                null, null, null), new IntentApplication("busybox", null, null, REQUEST), null, false);
        List<PlannedPlacement> placements = new ArrayList<>();
        for (String n : nodes) placements.add(new PlannedPlacement(n, "r-" + n, 0.1, 100, 1));
        return Intent.create("intent-1", spec, IntentPlan.of(placements, List.of()), IntentStatus.SATISFIED, null, T0);
    }

    static Instance instance(String id, String nodeId, DesiredState desired, InstanceState state, long createdSecond) {
        return new Instance(id, "web", 1, nodeId, desired, state, null, null, 0, T0.plusSeconds(createdSecond), null,
                state == InstanceState.STOPPED ? 0 : null, null, null, null);
    }

    static Instance running(String id, String nodeId) {
        return instance(id, nodeId, DesiredState.RUN, InstanceState.RUNNING, 0);
    }

    /**
     * The snapshot the controllers would build: each node with the requests and per-workload
     * counts of the active instances on it, plus {@code extra} allocated to other work.
     */
    static ClusterSnapshot snapshot(List<Node> nodes, List<Instance> instances, Map<String, Resources> extra) {
        List<NodeSnapshot> out = new ArrayList<>();
        for (Node n : nodes) {
            Resources allocated = extra.getOrDefault(n.id(), Resources.ZERO);
            Map<String, Integer> counts = new HashMap<>();
            for (Instance i : instances) {
                if (i.isActive() && n.id().equals(i.nodeId())) {
                    allocated = allocated.plus(REQUEST);
                    counts.merge(i.workload(), 1, Integer::sum);
                }
            }
            out.add(new NodeSnapshot(n, allocated, counts, null));
        }
        return new ClusterSnapshot(out, Map.of(), 1);
    }

    static ClusterSnapshot snapshot(List<Node> nodes, List<Instance> instances) {
        return snapshot(nodes, instances, Map.of());
    }
}
