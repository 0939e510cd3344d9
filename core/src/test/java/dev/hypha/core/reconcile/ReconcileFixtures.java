package dev.hypha.core.reconcile;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small object mothers for the reconciler's tests. The richer builders live in the testkit, which
 * depends on core and so cannot be used from core's own tests.
 */
final class ReconcileFixtures {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private ReconcileFixtures() {}

    static WorkloadSpec spec(String name, int replicas) {
        return new WorkloadSpec(name, "busybox:1", null, replicas, new Resources(100, 64, 0), RestartPolicy.ALWAYS,
                null, null, null);
    }

    static Workload workload(String name, int replicas) {
        return Workload.create(spec(name, replicas), NOW.minus(Duration.ofHours(1)), null);
    }

    static Workload workload(String name, int replicas, RestartPolicy policy) {
        WorkloadSpec s = spec(name, replicas);
        return Workload.create(new WorkloadSpec(s.name(), s.image(), s.command(), replicas, s.resources(), policy,
                s.member(), s.env(), s.placement()), NOW.minus(Duration.ofHours(1)), null);
    }

    /** The next generation of {@code w} with a new image: its existing instances become outdated. */
    static Workload withImage(Workload w, String image) {
        WorkloadSpec s = w.spec();
        return w.update(new WorkloadSpec(s.name(), image, s.command(), s.replicas(), s.resources(), s.restartPolicy(),
                s.member(), s.env(), s.placement()));
    }

    static Workload scaled(Workload w, int replicas) {
        return w.update(w.spec().withReplicas(replicas));
    }

    /** Stores the status a converged workload would have, so only real differences plan an update. */
    static Workload ready(Workload w, int ready) {
        return w.withStatus(new dev.hypha.model.WorkloadStatus(w.replicas(), ready));
    }

    static Instance running(String id, Workload w, String node) {
        return instance(id, w, node, InstanceState.RUNNING, NOW.minus(Duration.ofMinutes(30)));
    }

    static Instance instance(String id, Workload w, String node, InstanceState state, Instant createdAt) {
        return Instance.assign(id, w, node, createdAt).withState(state, null);
    }

    static Instance exited(String id, Workload w, String node, InstanceState state, Integer exitCode) {
        Instance i = running(id, w, node);
        return new Instance(i.id(), i.workload(), i.generation(), i.nodeId(), DesiredState.RUN, state,
                "c-" + id, null, 0, i.createdAt(), i.createdAt(), exitCode, "exited", null, i.spec());
    }

    static Map<String, NodeState> alive(String... nodes) {
        Map<String, NodeState> m = new LinkedHashMap<>();
        for (String n : nodes) m.put(n, NodeState.ALIVE);
        return m;
    }
}
