package dev.hypha.core.reconcile;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reconciler: a pure function from workloads (desired), instances and node membership
 * (observed) and the current time to the {@link ReconcilePlan} that converges them.
 *
 * <p>It reads no clock, takes no lock and does no I/O, so the controller can call it on a snapshot
 * outside its lock, and tests can drive it through thousands of random histories.
 *
 * <h2>Words</h2>
 * <ul>
 *   <li><b>current</b>: an instance whose template is the workload's, i.e.
 *       {@code !workload.spec().templateDiffers(instance.spec())}; otherwise <b>outdated</b>
 *       (an instance without a template is outdated). A change of replicas or placement bumps the
 *       generation but does not make instances outdated.</li>
 *   <li><b>active</b>: {@link Instance#isActive()}: desired RUN and pending, starting, running or
 *       restarting.</li>
 *   <li><b>gone node</b>: a node that {@code nodeStates} reports DEAD or LEFT, or does not know.
 *       A SUSPECT node is not gone: gossip may still refute the suspicion, so its instances keep
 *       counting.</li>
 *   <li><b>finished</b>: a current instance with desired RUN in a terminal state (stopped, failed)
 *       that its restart policy would not restart ({@link RestartPolicy#restarts(int)} is false for
 *       its exit code, e.g. {@code never}, or {@code on-failure} with exit code 0). It keeps its
 *       replica slot, so a job that completed is not run again. A missing exit code counts as 1
 *       for a failed instance and 0 for a stopped one.</li>
 * </ul>
 *
 * <h2>Rules, in the order they apply to each instance</h2>
 * <ol>
 *   <li>On a gone node: <b>Remove</b> ("node n2 is dead"); its replica is replaced.</li>
 *   <li>Its workload no longer exists: <b>Remove</b> when its state is terminal, <b>Stop</b> when it
 *       is desired RUN, otherwise wait for its agent to stop it.</li>
 *   <li>Desired STOP: <b>Remove</b> once terminal; until then it no longer counts as a replica.</li>
 *   <li>Terminal with desired RUN: <b>Remove</b> and replace it when its restart policy would restart
 *       it, or when it is outdated; otherwise it is finished and keeps its slot.</li>
 *   <li>Stopping with desired RUN: it does not count; rule 4 applies once it reports terminal.</li>
 *   <li>Pending for longer than {@link #PENDING_TIMEOUT} (since {@code createdAt}) on an ALIVE node:
 *       its agent never started it; treated as failed: <b>Remove</b> and replace. On a SUSPECT node
 *       it waits, since the agent may just be unreachable.</li>
 * </ol>
 *
 * <h2>Rules for each workload's replica count ({@code desired = workload.replicas()})</h2>
 * <ol>
 *   <li><b>Scale down</b>: when current active plus finished exceed {@code desired}, the surplus
 *       goes: finished instances first (<b>Remove</b>, nothing runs), then active ones (<b>Stop</b>)
 *       preferring those not yet running, then those on the node with the most active replicas of
 *       the workload, then the newest ({@code createdAt}), then the lowest id.</li>
 *   <li><b>Rolling replace</b> (outdated active instances exist), max surge 1, max unavailable 0:
 *       outdated instances are <b>Stop</b>ped while current running plus finished plus outdated
 *       active exceed {@code desired} (a new replica took over), and also while current active plus
 *       outdated active exceed {@code desired + 1}; the same preference order picks which.</li>
 *   <li><b>Scale up / replace</b>: when current active, finished and remaining outdated active
 *       together are fewer than {@code desired}, <b>Place</b> the difference at once (lost replicas are
 *       restored without waiting).</li>
 *   <li><b>Surge</b>: otherwise, while outdated replicas remain and no current replica is pending,
 *       starting or restarting, <b>Place</b> one current replica. A new template that crash-loops
 *       therefore stalls the roll instead of taking the old replicas down.</li>
 *   <li><b>Status</b>: {@code ready} is the number of current running instances that the plan keeps;
 *       <b>UpdateStatus</b> when {@code (replicas, ready)} differs from the stored status.</li>
 * </ol>
 *
 * <h2>Guarantees (tested as properties)</h2>
 * After the plan is applied, a workload never has more than {@code desired} active instances, or
 * {@code desired + 1} while outdated ones remain; once agents stop failing it converges to exactly
 * {@code desired} current instances. Planning again right after applying a plan gives an empty
 * plan (idempotent). The same input, in any list order, gives the same plan (deterministic);
 * the order is documented on {@link ReconcilePlan}.
 */
public final class Reconciler {
    /** How long an instance may stay pending on an ALIVE node before it is treated as failed. */
    public static final Duration PENDING_TIMEOUT = Duration.ofMinutes(5);

    private Reconciler() {}

    /**
     * Plans the actions that converge {@code instances} on {@code workloads}.
     *
     * @param nodeStates membership state per node id; a node missing here counts as gone
     * @param now        the controller's clock, used only for {@link #PENDING_TIMEOUT}
     * @throws IllegalArgumentException when two workloads share a name or two instances share an id
     */
    public static ReconcilePlan plan(List<Workload> workloads, List<Instance> instances,
                                     Map<String, NodeState> nodeStates, Instant now) {
        Objects.requireNonNull(workloads, "workloads");
        Objects.requireNonNull(instances, "instances");
        Objects.requireNonNull(nodeStates, "nodeStates");
        Objects.requireNonNull(now, "now");

        Map<String, Workload> byName = new TreeMap<>();
        for (Workload w : workloads) {
            if (byName.putIfAbsent(w.name(), w) != null) {
                throw new IllegalArgumentException("workload '" + w.name() + "' appears twice in the reconciler's input");
            }
        }
        List<Instance> sorted = new ArrayList<>(instances);
        sorted.sort(Comparator.comparing(Instance::id));
        Map<String, List<Instance>> byWorkload = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (Instance i : sorted) {
            if (!ids.add(i.id())) {
                throw new IllegalArgumentException("instance '" + i.id() + "' appears twice in the reconciler's input");
            }
            byWorkload.computeIfAbsent(i.workload(), k -> new ArrayList<>()).add(i);
        }
        Set<String> names = new TreeSet<>(byName.keySet());
        names.addAll(byWorkload.keySet());

        List<Action> actions = new ArrayList<>();
        for (String name : names) {
            List<Instance> own = byWorkload.getOrDefault(name, List.of());
            Workload workload = byName.get(name);
            if (workload == null) {
                planOrphans(name, own, nodeStates, actions);
            } else {
                new WorkloadPass(workload, nodeStates, now).plan(own, actions);
            }
        }
        return new ReconcilePlan(actions);
    }

    /** Instances whose workload was deleted: stop what runs, remove what is done or unreachable. */
    private static void planOrphans(String workload, List<Instance> instances, Map<String, NodeState> nodeStates,
                                    List<Action> out) {
        String why = "workload " + workload + " no longer exists";
        for (Instance i : instances) {
            String gone = goneReason(i.nodeId(), nodeStates.get(i.nodeId()));
            if (gone != null) {
                out.add(new Action.Remove(i.id(), gone));
            } else if (i.state().isTerminal()) {
                out.add(new Action.Remove(i.id(), why));
            } else if (i.desired() == DesiredState.RUN) {
                out.add(new Action.Stop(i.id(), why));
            }
            // Otherwise its agent is already stopping it: wait for the terminal state.
        }
    }

    /** Why an instance's node can no longer run it, or null when the node is alive or suspect. */
    static String goneReason(String nodeId, NodeState state) {
        if (state == null) return "node " + nodeId + " is unknown";
        return switch (state) {
            case DEAD -> "node " + nodeId + " is dead";
            case LEFT -> "node " + nodeId + " has left";
            case ALIVE, SUSPECT -> null;
        };
    }

    /** One workload's pass: classify its instances, then decide stops and placements. */
    private static final class WorkloadPass {
        private final Workload workload;
        private final WorkloadSpec template;
        private final int desired;
        private final Map<String, NodeState> nodeStates;
        private final Instant now;
        /** Actions on existing instances, keyed (and so emitted) by instance id. */
        private final TreeMap<String, Action> instanceActions = new TreeMap<>();
        private final List<Instance> currentActive = new ArrayList<>();
        private final List<Instance> outdatedActive = new ArrayList<>();
        private final List<Instance> finished = new ArrayList<>();

        WorkloadPass(Workload workload, Map<String, NodeState> nodeStates, Instant now) {
            this.workload = workload;
            this.template = workload.spec();
            this.desired = workload.replicas();
            this.nodeStates = nodeStates;
            this.now = now;
        }

        void plan(List<Instance> instances, List<Action> out) {
            for (Instance i : instances) classify(i);

            // 1. Scale down: more current replicas than desired. Finished ones cost nothing to drop.
            int surplus = currentActive.size() + finished.size() - desired;
            if (surplus > 0) {
                String why = "scale down to " + desired + " replicas";
                List<Instance> finishedNewestFirst = new ArrayList<>(finished);
                finishedNewestFirst.sort(SurplusPicker.NEWEST_FIRST);
                for (Instance i : finishedNewestFirst.subList(0, Math.min(surplus, finishedNewestFirst.size()))) {
                    remove(i, why);
                    finished.remove(i);
                    surplus--;
                }
                for (Instance i : SurplusPicker.pick(currentActive, surplus, activePerNode())) {
                    stop(i, why);
                    currentActive.remove(i);
                }
            }
            int currentRunning = (int) currentActive.stream().filter(i -> i.state() == InstanceState.RUNNING).count();
            int currentNotReady = currentActive.size() - currentRunning;

            // 2. Rolling replace: retire outdated replicas once current ones took over, and never keep
            //    more than desired + 1 active.
            int outdated = outdatedActive.size();
            int tookOver = currentRunning + finished.size() + outdated - desired;
            int overSurge = currentActive.size() + outdated - (desired + 1);
            int retire = Math.min(outdated, Math.max(0, Math.max(tookOver, overSurge)));
            for (Instance i : SurplusPicker.pick(outdatedActive, retire, activePerNode())) {
                stop(i, "rolling replace: superseded by generation " + workload.generation());
            }
            int outdatedLeft = outdated - retire;

            // 3. Placements: restore lost replicas at once; otherwise surge one while rolling.
            int currentSlots = currentActive.size() + finished.size();
            int slots = currentSlots + outdatedLeft;
            int places = 0;
            String why = null;
            if (slots < desired) {
                places = desired - slots;
                why = "missing replica: " + slots + " of " + desired + " present";
            } else if (outdatedLeft > 0 && slots == desired && currentNotReady == 0) {
                places = 1;
                why = "rolling replace to generation " + workload.generation() + ": " + currentSlots + " of "
                        + desired + " replaced";
            }

            out.addAll(instanceActions.values());
            for (int p = 0; p < places; p++) {
                out.add(new Action.Place(workload.name(), workload.generation(), why));
            }

            // 4. Status: what remains running of the current template.
            WorkloadStatus status = new WorkloadStatus(desired, currentRunning);
            if (!status.equals(workload.status())) out.add(new Action.UpdateStatus(workload.name(), status));
        }

        private void classify(Instance i) {
            NodeState node = nodeStates.get(i.nodeId());
            String gone = goneReason(i.nodeId(), node);
            if (gone != null) {
                remove(i, gone);
                return;
            }
            if (i.desired() == DesiredState.STOP) {
                // Until its agent reports it terminal it no longer counts as a replica.
                if (i.state().isTerminal()) remove(i, "stopped as requested");
                return;
            }
            boolean current = i.spec() != null && !template.templateDiffers(i.spec());
            if (i.state().isTerminal()) {
                int exit = exitCode(i);
                RestartPolicy policy = i.spec() != null ? i.spec().restartPolicy() : workload.restartPolicy();
                if (policy.restarts(exit)) {
                    remove(i, i.state().wire() + " with exit code " + exit + "; restart policy " + policy.wire()
                            + " replaces it");
                } else if (!current) {
                    remove(i, "finished with exit code " + exit + " under an outdated template; a current replica"
                            + " replaces it");
                } else {
                    finished.add(i);
                }
                return;
            }
            if (!i.state().isActive()) return; // stopping while desired RUN: judged once it is terminal
            if (node == NodeState.ALIVE && i.state() == InstanceState.PENDING && i.createdAt() != null
                    && now.isAfter(i.createdAt().plus(PENDING_TIMEOUT))) {
                remove(i, "pending on node " + i.nodeId() + " for more than " + PENDING_TIMEOUT.toMinutes()
                        + " minutes; treated as failed");
                return;
            }
            (current ? currentActive : outdatedActive).add(i);
        }

        /** Active replicas of this workload per node, for the "most replicas on the node" preference. */
        private Map<String, Integer> activePerNode() {
            Map<String, Integer> counts = new HashMap<>();
            for (Instance i : currentActive) counts.merge(i.nodeId(), 1, Integer::sum);
            for (Instance i : outdatedActive) counts.merge(i.nodeId(), 1, Integer::sum);
            return counts;
        }

        private void remove(Instance i, String why) {
            instanceActions.put(i.id(), new Action.Remove(i.id(), why));
        }

        private void stop(Instance i, String why) {
            instanceActions.put(i.id(), new Action.Stop(i.id(), why));
        }

        private static int exitCode(Instance i) {
            if (i.exitCode() != null) return i.exitCode();
            return i.state() == InstanceState.FAILED ? 1 : 0;
        }
    }
}
