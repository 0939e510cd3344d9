package dev.hypha.model.economy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Resources;
import dev.hypha.model.Validation;
import java.time.Instant;

/**
 * A resource commitment: node {@code nodeId}, owned by {@code hostMember}, holds
 * {@code resources} for a replica of {@code workload}, submitted by {@code workloadMember}.
 *
 * <p>A pledge is created when a replica is placed and released when it stops: it is an edge of
 * the credit graph while it is active. When host and workload member differ, the host's member
 * gives and the workload's member takes; settlement later turns the measured usage into credit.
 *
 * @param id         {@code pledge:<instanceId>} for placed replicas, any unique id for manual pledges
 * @param instanceId the placed replica, or null for a manual pledge ({@code hypha node pledge})
 * @param releasedAt when the replica stopped; null while the pledge is active
 */
public record Pledge(
        String id,
        String nodeId,
        String hostMember,
        String workload,
        String workloadMember,
        String instanceId,
        Resources resources,
        Instant createdAt,
        Instant releasedAt) {

    public Pledge {
        Validation.nonBlank("pledge id", id);
        Validation.name("node_id", nodeId);
        Validation.name("host_member", hostMember);
        Validation.name("workload", workload);
        Validation.name("workload_member", workloadMember);
        if (resources == null) throw new InvalidSpecException("pledge " + id + ": resources are required");
        if (createdAt == null) throw new InvalidSpecException("pledge " + id + ": created_at is required");
        if (releasedAt != null && releasedAt.isBefore(createdAt)) {
            throw new InvalidSpecException("pledge " + id + ": released_at " + releasedAt
                    + " is before created_at " + createdAt);
        }
    }

    /** Active until released (derived from {@code releasedAt}, so not serialised). */
    @JsonIgnore
    public boolean isActive() {
        return releasedAt == null;
    }

    /** Whether credit moves for this pledge: a member hosting its own work owes itself nothing. */
    public boolean crossesMembers() {
        return !hostMember.equals(workloadMember);
    }

    /** This pledge released at {@code at}; releasing twice keeps the first release time. */
    public Pledge release(Instant at) {
        if (releasedAt != null) return this;
        return new Pledge(id, nodeId, hostMember, workload, workloadMember, instanceId, resources, createdAt, at);
    }
}
