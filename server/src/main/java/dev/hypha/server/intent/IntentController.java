package dev.hypha.server.intent;

import dev.hypha.core.intent.IntentEvaluation;
import dev.hypha.core.intent.IntentEvaluator;
import dev.hypha.core.intent.PlanResult;
import dev.hypha.core.intent.ReplanReason;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.server.control.ClusterView;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every intent true: each pass judges each intent on a fresh snapshot of the cluster, plans
 * it again when its plan no longer holds or a clearly better one exists, records its status, and
 * brings the workload it owns (and that workload's replicas) in line with the plan.
 *
 * <p>One pass, per intent:
 * <ol>
 *   <li>Read a snapshot: workloads, intents, instances, nodes (workloads before intents, see
 *       {@link IntentBook}).</li>
 *   <li>Judge, purely: {@link IntentEvaluator#evaluate} gives the status and the reasons to
 *       re-plan (a planned node lost, the budget or carbon cap broken by new prices, a clearly
 *       better plan); {@link PlanAlignment} adds a planned node that filled up with other work.
 *       An unsatisfiable intent also re-plans when a feasible plan fits again, or a bigger best
 *       possible. The new plan is the evaluator's fresh plan; when no plan meets the hard
 *       constraints, the best possible one, so the replicas that can run keep running.</li>
 *   <li>Write the intent (new plan, or new status) with compare-and-swap; nothing when nothing
 *       changed, so a steady cluster sees no writes.</li>
 *   <li>Write the owned workload when its spec differs from {@link OwnedWorkload#specFor} (the
 *       plan's replicas and regions), creating it when it is missing.</li>
 *   <li>Stop replicas that run off the plan: all the surplus when the plan shrank, else one at a
 *       time when the workload is whole ({@link PlanAlignment#nextMove}); the reconciler places
 *       each replacement and {@link PlanSteeringScheduler} puts it on the plan.</li>
 *   <li>After a change of the intent's spec, replace the replicas made for the old one, one at a
 *       time while the workload is whole, each in its own planned slot
 *       ({@link PlanAlignment#nextReplacement}).</li>
 * </ol>
 * The owned workload belongs to the intent: a direct edit of it is undone, and a deleted one is
 * created again, on the next pass; a workload whose owning intent no longer exists is deleted. A
 * write that loses a race ends that intent's pass; the next pass starts from fresh state.
 *
 * <p>Called serially by the leader's controller loop, with the leader's fenced store, after the
 * workload controller.
 */
public final class IntentController {
    private static final Logger log = LoggerFactory.getLogger(IntentController.class);

    private final Scheduler scheduler;
    private final InstantSource clock;

    /**
     * @param scheduler the cluster's scheduler (not the steering one), asked whether a planned node
     *                  would take a replica, so a slot its filters refuse counts as blocked
     */
    public IntentController(Scheduler scheduler, InstantSource clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** One pass over {@code store} (the leader's fenced view); returns the writes it made, in order. */
    public List<IntentChange> reconcileOnce(StateStore store) {
        // 1. Read. An intent is created in one transaction with its workload: reading workloads
        //    first means an owned workload whose intent is missing below really lost its intent.
        long revision = store.kv().revision();
        List<Versioned<Workload>> workloads = store.workloads().list();
        List<Versioned<Intent>> intents = store.intents().list();
        if (intents.isEmpty() && workloads.stream().allMatch(w -> w.value().owner() == null)) return List.of();
        List<Versioned<Instance>> instances = store.instances().list();
        List<Instance> instanceValues = instances.stream().map(Versioned::value).toList();
        ClusterSnapshot cluster = new ClusterView(store.nodes().values(), instanceValues, Map.of(), Map.of(), revision)
                .snapshot();
        Instant now = clock.instant();
        List<IntentChange> changes = new ArrayList<>();

        // 2. Workloads left without their intent.
        Set<String> ids = new HashSet<>();
        for (Versioned<Intent> i : intents) ids.add(i.value().id());
        Map<String, Versioned<Workload>> byName = new HashMap<>();
        for (Versioned<Workload> w : workloads) {
            byName.put(w.value().name(), w);
            String owner = w.value().owner();
            if (owner != null && !ids.contains(owner) && store.workloads().delete(w.value().name(), w.modRevision())) {
                changes.add(new IntentChange.OrphanDeleted(owner, w.value().name()));
            }
        }

        // 3. Each intent.
        Map<String, Versioned<Instance>> instanceById = new HashMap<>();
        for (Versioned<Instance> v : instances) instanceById.put(v.value().id(), v);
        Pass pass = new Pass(store, cluster, instanceValues, instanceById, now, changes);
        for (Versioned<Intent> i : intents) pass.keep(i, byName.get(i.value().workload()));
        for (IntentChange c : changes) log.info("{}", c.describe());
        return changes;
    }

    /** The state of one pass, shared by its intents. */
    private final class Pass {
        private final StateStore store;
        private final ClusterSnapshot cluster;
        private final List<Instance> instances;
        private final Map<String, Versioned<Instance>> instanceById;
        private final Instant now;
        private final List<IntentChange> changes;

        Pass(StateStore store, ClusterSnapshot cluster, List<Instance> instances,
             Map<String, Versioned<Instance>> instanceById, Instant now, List<IntentChange> changes) {
            this.store = store;
            this.cluster = cluster;
            this.instances = instances;
            this.instanceById = instanceById;
            this.now = now;
            this.changes = changes;
        }

        void keep(Versioned<Intent> stored, Versioned<Workload> workload) {
            Intent intent = stored.value();

            // 1. The workload of the intent's name must be the intent's own.
            if (workload != null && !intent.id().equals(workload.value().owner())) {
                String owner = workload.value().owner();
                String why = "workload '" + intent.workload() + "' exists but "
                        + (owner == null ? "was created directly" : "belongs to intent " + owner)
                        + ", so this intent cannot run it; delete that workload or this intent";
                writeIntent(stored, intent.withStatus(IntentStatus.UNSATISFIABLE, why, now), null);
                return;
            }

            // 2. Judge, purely: the evaluator's verdict, the alignment of replicas and plan, a new plan if due.
            IntentEvaluation verdict = IntentEvaluator.evaluate(intent, cluster, instances);
            PlanAlignment alignment = PlanAlignment.of(intent, cluster, instances, schedulable(intent));
            List<String> reasons = replanReasons(intent, verdict, alignment);
            IntentPlan next = reasons.isEmpty() ? null : nextPlan(intent, verdict.freshPlan());
            Intent updated;
            if (next != null) {
                IntentEvaluation after = IntentEvaluator.evaluate(
                        intent.replanned(next, IntentStatus.SATISFIED, null, now), cluster, instances);
                String why = after.status() == IntentStatus.DEGRADED
                        ? after.why() + " (re-planned: " + String.join("; ", reasons) + ")"
                        : after.why();
                updated = intent.replanned(next, after.status(), why, now);
                alignment = PlanAlignment.of(updated, cluster, instances, schedulable(updated));
            } else {
                updated = intent.withStatus(verdict.status(), verdict.why(), now);
            }

            // 3. The intent.
            if (!writeIntent(stored, updated, next == null ? null : reasons)) return;

            // 4. The workload it owns.
            WorkloadSpec desired = OwnedWorkload.specFor(updated);
            if (workload == null) {
                if (store.workloads().create(updated.workload(), Workload.create(desired, now, updated.id()))) {
                    changes.add(new IntentChange.WorkloadCreated(updated.id(), updated.workload()));
                }
                return;
            }
            long generation = workload.value().generation();
            if (!workload.value().spec().equals(desired)) {
                Workload w = workload.value().update(desired);
                if (!store.workloads().update(w.name(), w, workload.modRevision())) return;
                changes.add(new IntentChange.WorkloadUpdated(updated.id(), w.name(), w.generation()));
                generation = w.generation();
            }

            // 5. Its replicas: drop the surplus of a smaller plan, else move one onto the plan.
            int replicas = updated.plan().replicas();
            List<Instance> trim = alignment.trimTo(replicas);
            for (Instance i : trim) {
                stop(updated, i, "intent " + updated.id() + " now plans " + replicas + " replicas, and node "
                        + i.nodeId() + " holds more of them than the plan puts there");
            }
            if (!trim.isEmpty()) return;
            PlanAlignment aligned = alignment;
            Optional<Instance> move = alignment.nextMove(updated.spec().intent(), replicas);
            move.ifPresent(i -> stop(updated, i,
                    "moving to intent " + updated.id() + "'s plan: node " + i.nodeId() + " holds more replicas than"
                            + " the plan puts there, and " + aligned.fillable() + " have a planned slot free"));
            if (move.isPresent()) return;
            // 6. A changed spec: replace the replicas one at a time, each in its own planned slot.
            long current = generation;
            alignment.nextReplacement(updated.spec().intent(), replicas, updated.workload(), current, instances)
                    .ifPresent(i -> stop(updated, i, "replacing with intent " + updated.id() + "'s changed spec"
                            + " (workload generation " + current + "), one replica at a time on its planned node"));
        }

        /** Writes {@code updated} unless it is {@code stored}'s value; false when the write lost a race. */
        private boolean writeIntent(Versioned<Intent> stored, Intent updated, List<String> replanReasons) {
            Intent intent = stored.value();
            if (updated == intent) return true;
            if (!store.intents().update(intent.id(), updated, stored.modRevision())) return false;
            changes.add(replanReasons != null
                    ? new IntentChange.Replanned(updated.id(), updated.generation(), updated.plan().replicas(),
                            replanReasons)
                    : new IntentChange.StatusChanged(updated.id(), updated.status(), updated.why()));
            return true;
        }

        private void stop(Intent intent, Instance i, String why) {
            Versioned<Instance> v = instanceById.get(i.id());
            if (v == null || v.value().desired() == DesiredState.STOP) return;
            if (store.instances().update(i.id(), v.value().withDesired(DesiredState.STOP, why), v.modRevision())) {
                changes.add(new IntentChange.ReplicaStopped(intent.id(), i.id(), why));
            }
        }

        /** Whether the cluster's scheduler would place one of the intent's replicas on a node, judged alone. */
        private Predicate<NodeSnapshot> schedulable(Intent intent) {
            PlacementRequest probe = new PlacementRequest(OwnedWorkload.specFor(intent), intent.workload() + "-probe", 0);
            return n -> scheduler.schedule(probe, new ClusterSnapshot(List.of(n), cluster.memberBalances(),
                    cluster.revision())) instanceof Placement.Assigned;
        }
    }

    /** Why the intent should get a new plan now, one sentence each; empty when its plan stays. */
    static List<String> replanReasons(Intent intent, IntentEvaluation verdict, PlanAlignment alignment) {
        List<String> reasons = new ArrayList<>(verdict.replanReasons().stream().map(ReplanReason::describe).toList());
        for (String node : alignment.blocked()) {
            reasons.add("planned node " + node + " has no room left for its replica");
        }
        if (reasons.isEmpty() && intent.status() == IntentStatus.UNSATISFIABLE) {
            PlanResult fresh = verdict.freshPlan();
            if (fresh instanceof PlanResult.Feasible) {
                reasons.add("a plan within every constraint fits the cluster again");
            } else if (fresh.plan().replicas() > intent.plan().replicas()) {
                reasons.add("the cluster now allows " + fresh.plan().replicas() + " replicas, the plan has "
                        + intent.plan().replicas());
            }
        }
        return reasons;
    }

    /**
     * The plan to follow next: the fresh plan when it is feasible, else the best possible when it
     * runs anything (some replicas beat none); null when that is no change.
     */
    static IntentPlan nextPlan(Intent intent, PlanResult fresh) {
        IntentPlan candidate = switch (fresh) {
            case PlanResult.Feasible f -> f.plan();
            case PlanResult.Infeasible i -> i.bestPossible().replicas() > 0 ? i.bestPossible() : null;
        };
        return candidate == null || candidate.equals(intent.plan()) ? null : candidate;
    }
}
