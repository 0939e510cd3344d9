package dev.hypha.server.api;

import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Reputation;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import java.util.List;

/**
 * What the mycelial economy adds to the core endpoints: a node's reputation in the node views, the
 * credit check before new work is accepted, and the start outcomes agents report (reputation
 * evidence). The economy's own endpoints come as a {@link RouteModule}.
 *
 * <p>Implementations are thread-safe: request handlers call them concurrently.
 */
public interface EconomyHooks {
    /** The node's current reputation; {@link Reputation#NEUTRAL} when nothing is known. */
    Reputation reputationOf(String nodeId);

    /**
     * Refuses work its member may not place: throws an {@link ApiException} (422, saying by how
     * much the member is over its limit) when {@code spec} would add replicas while the member is
     * below its hard credit limit.
     *
     * @param current the stored workload being changed, or null for a new one
     */
    void admitWorkload(WorkloadSpec spec, Workload current);

    /** The container starts node {@code nodeId}'s agent attempted since its last report. */
    void startsReported(String nodeId, List<AgentProtocol.StartOutcome> starts);

    /** No economy: neutral reputations, every workload admitted, start outcomes ignored. */
    EconomyHooks NONE = new EconomyHooks() {
        @Override
        public Reputation reputationOf(String nodeId) {
            return Reputation.NEUTRAL;
        }

        @Override
        public void admitWorkload(WorkloadSpec spec, Workload current) {}

        @Override
        public void startsReported(String nodeId, List<AgentProtocol.StartOutcome> starts) {}
    };
}
