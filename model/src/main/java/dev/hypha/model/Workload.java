package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored workload: the spec's fields, flattened as the API shows them, plus what the server
 * adds. {@code generation} grows by one on every spec change; instances remember the generation
 * they were made for, which is how a rolling replace finds the outdated ones.
 *
 * @param liveness the spec's liveness check, or null when it has none
 * @param owner    the intent that owns this workload, or null when a user created it directly
 */
public record Workload(
        String name,
        String image,
        List<String> command,
        int replicas,
        Resources resources,
        RestartPolicy restartPolicy,
        String member,
        Map<String, String> env,
        PlacementConstraints placement,
        @JsonInclude(JsonInclude.Include.NON_NULL) LivenessSpec liveness,
        long generation,
        Instant createdAt,
        String owner,
        WorkloadStatus status) {

    public Workload {
        WorkloadSpec checked = new WorkloadSpec(name, image, command, replicas, resources, restartPolicy, member, env,
                placement, liveness);
        command = checked.command();
        resources = checked.resources();
        restartPolicy = checked.restartPolicy();
        member = checked.member();
        env = checked.env();
        placement = checked.placement();
        if (generation < 1) throw new InvalidSpecException("generation must be at least 1");
        status = status == null ? WorkloadStatus.pending(replicas) : status;
    }

    /** A workload without a liveness check (the form most callers build). */
    public Workload(String name, String image, List<String> command, int replicas, Resources resources,
                    RestartPolicy restartPolicy, String member, Map<String, String> env, PlacementConstraints placement,
                    long generation, Instant createdAt, String owner, WorkloadStatus status) {
        this(name, image, command, replicas, resources, restartPolicy, member, env, placement, null, generation,
                createdAt, owner, status);
    }

    public static Workload create(WorkloadSpec s, Instant now, String owner) {
        return new Workload(s.name(), s.image(), s.command(), s.replicas(), s.resources(), s.restartPolicy(),
                s.member(), s.env(), s.placement(), s.liveness(), 1, now, owner, WorkloadStatus.pending(s.replicas()));
    }

    @JsonIgnore
    public WorkloadSpec spec() {
        return new WorkloadSpec(name, image, command, replicas, resources, restartPolicy, member, env, placement,
                liveness);
    }

    /** The next version of this workload: a new spec bumps the generation only if something changed. */
    public Workload update(WorkloadSpec s) {
        if (s.equals(spec())) return this;
        return new Workload(s.name(), s.image(), s.command(), s.replicas(), s.resources(), s.restartPolicy(),
                s.member(), s.env(), s.placement(), s.liveness(), generation + 1, createdAt, owner,
                new WorkloadStatus(s.replicas(), status.readyReplicas()));
    }

    public Workload withStatus(WorkloadStatus st) {
        return new Workload(name, image, command, replicas, resources, restartPolicy, member, env, placement,
                liveness, generation, createdAt, owner, st);
    }
}
