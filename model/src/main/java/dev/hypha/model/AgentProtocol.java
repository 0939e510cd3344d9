package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;
import java.util.List;

/** The bodies agents and servers exchange on the agent-facing endpoints ({@code /api/v1/agents/…}). */
public final class AgentProtocol {
    private AgentProtocol() {}

    /** {@code POST /api/v1/agents/register}: who the node is and what it offers. */
    public record Registration(String nodeId, String member, String region, Resources capacity, double costPerHour,
                               double carbonIntensity, PowerProfile power, String address, String agentUrl) {}

    /** The answer to a registration: how often to report, and the gossip key to join with. */
    public record Registered(String nodeId, long heartbeatSeconds, long leaseTtlSeconds, String gossipKey,
                             List<String> gossipSeeds) {}

    /**
     * {@code GET /api/v1/agents/{id}/assignments}: the node's instances at a store revision, all of
     * them or only what changed.
     *
     * <p>Why changes: an agent asks again after every change, and re-reading all of its node's
     * instances each time made a node's cost grow with its instance count on every placement. An
     * agent that asks with {@code delta=true} and the revision of its last answer gets only the
     * instances whose assignment changed since then, and the ids no longer assigned; the server
     * still answers with everything when it cannot tell (a first request, a revision from another
     * store, or one older than the changes it remembers). An answer without {@code delta} is the
     * whole list, and a whole list is written without the two new fields, so agents and servers of
     * either kind understand each other.
     *
     * @param revision  the store revision this answer is complete up to: ask with it next time
     * @param instances with {@code delta}: the instances whose assignment changed after the
     *                  requested revision; without: every instance assigned to the node
     * @param delta     whether this is a change set to apply to the previous answer
     * @param removed   with {@code delta}: ids no longer assigned to the node (deleted, or moved away)
     */
    public record Assignments(long revision, List<Instance> instances,
                              @JsonSetter(nulls = Nulls.AS_EMPTY) @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean delta,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> removed) {
        public Assignments {
            instances = instances == null ? List.of() : List.copyOf(instances);
            removed = removed == null ? List.of() : List.copyOf(removed);
        }

        /** Every instance assigned to the node. */
        public Assignments(long revision, List<Instance> instances) {
            this(revision, instances, false, List.of());
        }
    }

    /**
     * {@code PUT /api/v1/agents/{id}/status}: what the agent observed of its instances, and the
     * container starts it attempted since its last accepted report.
     *
     * @param starts every start attempt not yet reported (the server turns them into reputation
     *               observations); the agent drops them once a report is accepted, so a lost answer
     *               can deliver one twice, never drop one
     */
    public record StatusReport(List<InstanceStatusReport> instances, List<StartOutcome> starts) {
        public StatusReport {
            instances = instances == null ? List.of() : List.copyOf(instances);
            starts = starts == null ? List.of() : List.copyOf(starts);
        }

        public StatusReport(List<InstanceStatusReport> instances) {
            this(instances, List.of());
        }
    }

    /**
     * One attempt of the agent to start an instance's container, and whose fault a failure was.
     *
     * <p>Why it is reported: a node's reliability is what its starts did, and only the agent sees a
     * start fail. A failure is the node's fault when its runtime, cgroups, bundle or disk failed,
     * and the workload's when its image or command is broken ({@code RuntimeFailure.nodeFault()}).
     *
     * @param nodeFault for a failed start: whether the node is to blame; false for a success
     * @param message   what went wrong, for a failed start; null for a success
     */
    public record StartOutcome(String instanceId, boolean succeeded, boolean nodeFault, String message, Instant at) {
        public StartOutcome {
            Validation.nonBlank("instance_id", instanceId);
            if (at == null) throw new InvalidSpecException("start outcome of " + instanceId + ": at is required");
            if (succeeded && nodeFault) {
                throw new InvalidSpecException("start outcome of " + instanceId + ": a successful start cannot be a node fault");
            }
        }

        public static StartOutcome succeeded(String instanceId, Instant at) {
            return new StartOutcome(instanceId, true, false, null, at);
        }

        public static StartOutcome failed(String instanceId, boolean nodeFault, String message, Instant at) {
            return new StartOutcome(instanceId, false, nodeFault, message, at);
        }
    }

    /** The answer to a status report. */
    public record Accepted(int accepted) {}
}
