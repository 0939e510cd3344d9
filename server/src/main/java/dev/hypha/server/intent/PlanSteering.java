package dev.hypha.server.intent;

import dev.hypha.model.NodeState;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the next replica of an intent's workload may go: the pure decision behind
 * {@link PlanSteeringScheduler}.
 *
 * <p>Rules, first match wins:
 * <ol>
 *   <li>{@link Follow} the plan: the alive planned nodes that hold fewer of the workload's active
 *       replicas than the plan puts there (the snapshot's per-workload counts, which the workload
 *       controller updates as it places, so replica two sees replica one).</li>
 *   <li>{@link Wait} when no planned node has an open slot and some planned node is dead, gone or
 *       (with an open slot) suspect: the intent controller re-plans a lost node in the same pass,
 *       and a suspect one may come back, so placing elsewhere now would only be undone.</li>
 *   <li>{@link Wait} when every planned slot is taken: a replica beyond the plan would be stopped
 *       again (the workload's spec is catching up with a re-plan).</li>
 * </ol>
 * When the scheduler refuses every open planned node (another workload took the room), the
 * decorator falls back to {@link #allowedNodes} so the replica still runs within the hard
 * constraints; the intent controller then sees the blocked slot and re-plans.
 */
public final class PlanSteering {
    private PlanSteering() {}

    /** The decision for one replica. */
    public sealed interface Steering permits Follow, Wait {}

    /** Place on one of these nodes (alive planned nodes with an open slot), in node id order. */
    public record Follow(List<NodeSnapshot> nodes) implements Steering {
        public Follow {
            nodes = List.copyOf(nodes);
        }
    }

    /** Do not place now; {@code why} is what explain shows. */
    public record Wait(String why) implements Steering {}

    public static Steering steer(Intent intent, ClusterSnapshot cluster) {
        Map<String, NodeSnapshot> nodes = new TreeMap<>();
        for (NodeSnapshot n : cluster.nodes()) nodes.putIfAbsent(n.id(), n);
        Map<String, Integer> planned = new TreeMap<>();
        for (PlannedPlacement p : intent.plan().placements()) planned.merge(p.nodeId(), 1, Integer::sum);

        List<NodeSnapshot> open = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        planned.forEach((id, count) -> {
            NodeSnapshot n = nodes.get(id);
            if (PlanAlignment.lost(n)) {
                // Its replicas may still count in the snapshot until the reconciler removes them.
                unavailable.add(id + (n == null ? " (gone)" : " (" + n.node().state().wire() + ")"));
            } else if (n.countOf(intent.workload()) < count) {
                if (n.node().state() == NodeState.ALIVE) open.add(n);
                else unavailable.add(id + " (" + n.node().state().wire() + ")");
            }
        });
        if (!open.isEmpty()) return new Follow(open);
        String who = "intent " + intent.id() + " (plan generation " + intent.generation() + ")";
        if (!unavailable.isEmpty()) {
            return new Wait(who + ": planned nodes " + unavailable + " cannot take a replica; waiting for a re-plan"
                    + " or for them to come back");
        }
        return new Wait(who + ": every planned node already has its replicas");
    }

    /** The alive nodes an intent's hard constraints allow (required regions, carbon cap), in snapshot order. */
    public static List<NodeSnapshot> allowedNodes(Intent intent, ClusterSnapshot cluster) {
        IntentConstraints limits = intent.spec().constraints();
        return cluster.nodes().stream()
                .filter(n -> n.node().state() == NodeState.ALIVE)
                .filter(n -> limits.allowsRegion(n.node().region()))
                .filter(n -> limits.allowsCarbonIntensity(n.node().carbonIntensity()))
                .toList();
    }
}
