package dev.hypha.model;

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

    /** {@code GET /api/v1/agents/{id}/assignments}: the node's instances at a store revision. */
    public record Assignments(long revision, List<Instance> instances) {}

    /** {@code PUT /api/v1/agents/{id}/status}: what the agent observed of its instances. */
    public record StatusReport(List<InstanceStatusReport> instances) {
        public StatusReport {
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }

    /** The answer to a status report. */
    public record Accepted(int accepted) {}
}
