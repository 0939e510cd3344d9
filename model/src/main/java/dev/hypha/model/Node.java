package dev.hypha.model;

import java.time.Instant;

/**
 * A machine that runs an agent.
 *
 * @param address         the agent's gossip address (host:port), or null without gossip
 * @param agentUrl        where the agent serves container logs to the servers
 * @param costPerHour     price of the whole node per hour, in the cluster's currency
 * @param carbonIntensity grams of CO2 per kWh of the node's electricity
 */
public record Node(
        String id,
        String member,
        NodeState state,
        String region,
        Resources capacity,
        double costPerHour,
        double carbonIntensity,
        PowerProfile power,
        String address,
        String agentUrl,
        Instant registeredAt,
        Instant lastSeen) {

    public Node {
        Validation.name("node id", id);
        member = member == null ? id : Validation.name("member", member);
        state = state == null ? NodeState.ALIVE : state;
        region = region == null || region.isBlank() ? "default" : region;
        if (capacity == null) throw new InvalidSpecException("capacity is required");
        if (costPerHour < 0) throw new InvalidSpecException("cost_per_hour must not be negative");
        if (carbonIntensity < 0) throw new InvalidSpecException("carbon_intensity must not be negative");
        power = power == null ? PowerProfile.DEFAULT : power;
    }

    public Node withState(NodeState s, Instant seen) {
        return new Node(id, member, s, region, capacity, costPerHour, carbonIntensity, power, address, agentUrl,
                registeredAt, seen == null ? lastSeen : seen);
    }
}
