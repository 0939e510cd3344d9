package dev.hypha.server.intent;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How the replicas of an intent's workload line up with its plan, node by node: where the plan
 * still expects a replica (open slots), which replicas run where the plan has none (surplus), and
 * whether an open slot can be filled now.
 *
 * <p>The reconciler only counts replicas and the scheduler only sees one replica at a time, so
 * neither can tell that a replica sits on a node the plan no longer uses (after a re-plan, or when
 * it had to be placed elsewhere). This is how the intent controller sees it, and decides the two
 * corrections it makes itself: stop surplus replicas when the plan shrank ({@link #trimTo}), and
 * move one replica at a time onto the plan ({@link #nextMove}), each stop making the reconciler
 * place a replacement, which the steering scheduler puts on an open slot. Pure: computed from
 * the plan, one snapshot and the instances.
 *
 * @param planned    replicas the plan puts on each node
 * @param openSlots  nodes where the plan expects more replicas than hold a slot there, with how many
 *                   more; a slot is held by an active replica, or by a batch job's completed one
 * @param surplus    active replicas beyond what the plan puts on their node: those not running
 *                   first, then the newest, then by id (stopping one that never started costs nothing)
 * @param fillable   alive nodes with open slots that the scheduler would accept the replicas on now
 * @param blocked    alive nodes with open slots that cannot take them: too little free, or the
 *                   scheduler refuses the node; a reason to plan again
 * @param active     active replicas on nodes that are not lost (dead, left or gone)
 * @param allRunning whether every one of those is running
 */
public record PlanAlignment(Map<String, Integer> planned, Map<String, Integer> openSlots, List<Instance> surplus,
                            List<String> fillable, List<String> blocked, int active, boolean allRunning) {

    /** Not running first, then newest, then by id: the order in which surplus replicas are given up. */
    static final Comparator<Instance> GIVE_UP_ORDER = Comparator
            .comparing((Instance i) -> i.state() == InstanceState.RUNNING)
            .thenComparing(Instance::createdAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(Instance::id);

    public PlanAlignment {
        planned = Map.copyOf(planned);
        openSlots = Map.copyOf(openSlots);
        surplus = List.copyOf(surplus);
        fillable = List.copyOf(fillable);
        blocked = List.copyOf(blocked);
    }

    /**
     * @param instances  instances of any workload; only the intent's workload's, desired to run, count
     * @param schedulable whether the scheduler would place one of the intent's replicas on a node
     *                    (its filters may know more than free resources, e.g. a reputation floor)
     */
    public static PlanAlignment of(Intent intent, ClusterSnapshot cluster, List<Instance> instances,
                                   Predicate<NodeSnapshot> schedulable) {
        Map<String, NodeSnapshot> nodes = new TreeMap<>();
        for (NodeSnapshot n : cluster.nodes()) nodes.putIfAbsent(n.id(), n);
        boolean batch = intent.spec().intent() == IntentGoal.DEPLOY_BATCH_JOB;

        Map<String, Integer> planned = new TreeMap<>();
        for (PlannedPlacement p : intent.plan().placements()) planned.merge(p.nodeId(), 1, Integer::sum);

        // 1. What holds a slot where: active replicas and completed batch replicas, on nodes not lost.
        Map<String, Integer> held = new TreeMap<>();
        Map<String, List<Instance>> activeOn = new TreeMap<>();
        int active = 0;
        boolean allRunning = true;
        for (Instance i : instances) {
            if (!i.workload().equals(intent.workload()) || i.desired() != DesiredState.RUN) continue;
            if (lost(nodes.get(i.nodeId()))) continue;
            if (i.isActive()) {
                held.merge(i.nodeId(), 1, Integer::sum);
                activeOn.computeIfAbsent(i.nodeId(), k -> new ArrayList<>()).add(i);
                active++;
                allRunning &= i.state() == InstanceState.RUNNING;
            } else if (batch && i.state() == InstanceState.STOPPED && Integer.valueOf(0).equals(i.exitCode())) {
                held.merge(i.nodeId(), 1, Integer::sum);
            }
        }

        // 2. Surplus: replicas beyond the plan's count on their node.
        List<Instance> surplus = new ArrayList<>();
        activeOn.forEach((node, list) -> {
            int excess = Math.min(list.size(), held.get(node) - planned.getOrDefault(node, 0));
            if (excess > 0) surplus.addAll(list.stream().sorted(GIVE_UP_ORDER).limit(excess).toList());
        });
        surplus.sort(GIVE_UP_ORDER);

        // 3. Open slots, and whether each can be filled now.
        Resources request = intent.spec().application().resources();
        Map<String, Integer> open = new TreeMap<>();
        List<String> fillable = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        planned.forEach((node, count) -> {
            int missing = count - held.getOrDefault(node, 0);
            if (missing <= 0) return;
            open.put(node, missing);
            NodeSnapshot n = nodes.get(node);
            if (n == null || n.node().state() != NodeState.ALIVE) return;
            if (hasRoom(n, request, missing) && schedulable.test(n)) fillable.add(node);
            else blocked.add(node);
        });
        return new PlanAlignment(planned, open, surplus, fillable, blocked, active, allRunning);
    }

    /** A node that can no longer run anything: unknown, dead or gone. */
    static boolean lost(NodeSnapshot n) {
        return n == null || n.node().state() == NodeState.DEAD || n.node().state() == NodeState.LEFT;
    }

    private static boolean hasRoom(NodeSnapshot n, Resources request, int replicas) {
        Resources free = n.free();
        return free.cpuMillicores() >= request.cpuMillicores() * replicas
                && free.memoryMb() >= request.memoryMb() * replicas
                && free.diskMb() >= request.diskMb() * replicas;
    }

    /**
     * The surplus replicas to stop so that at most {@code replicas} stay active, when the plan has
     * fewer replicas than run: those off the plan, not the reconciler's choice, which knows no plan.
     */
    public List<Instance> trimTo(int replicas) {
        int excess = active - replicas;
        if (excess <= 0) return List.of();
        return surplus.subList(0, Math.min(excess, surplus.size()));
    }

    /**
     * The replica to stop now so that its replacement lands on the plan, or empty. One at a time,
     * and only while the workload is whole: every replica running, at least as many as planned,
     * and a planned node ready for the replacement; so a move never takes more than one replica
     * away, and never for nothing. A batch job is never moved: its work would start over.
     */
    public Optional<Instance> nextMove(IntentGoal goal, int plannedReplicas) {
        if (goal == IntentGoal.DEPLOY_BATCH_JOB || !allRunning || active < plannedReplicas) return Optional.empty();
        if (fillable.isEmpty() || surplus.isEmpty()) return Optional.empty();
        return Optional.of(surplus.getFirst());
    }

    /**
     * The replica to stop now so that a replica of the workload's current spec takes its slot, or
     * empty: one made for an older generation (the oldest first, then by id), while the workload is
     * whole and on its plan. This is the rolling replace of an intent's workload, done in place: the
     * reconciler's own rollout adds a replica before it stops one, but each planned slot holds one
     * replica (a highly available service wants each on its own node), so the new replica could
     * never be placed. A batch job is never replaced: its work would start over.
     *
     * @param instances  instances of any workload; only {@code workload}'s active ones count
     * @param generation the workload's current generation
     */
    public Optional<Instance> nextReplacement(IntentGoal goal, int plannedReplicas, String workload, long generation,
                                              List<Instance> instances) {
        if (goal == IntentGoal.DEPLOY_BATCH_JOB || !allRunning || active < plannedReplicas) return Optional.empty();
        if (!openSlots.isEmpty() || !surplus.isEmpty()) return Optional.empty();
        return instances.stream()
                .filter(i -> i.workload().equals(workload) && i.desired() == DesiredState.RUN && i.isActive())
                .filter(i -> i.generation() < generation)
                .min(Comparator.comparingLong(Instance::generation).thenComparing(Instance::id));
    }
}
