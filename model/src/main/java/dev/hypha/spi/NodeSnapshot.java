package dev.hypha.spi;

import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import java.util.Map;

/**
 * A node as the scheduler sees it at one moment.
 *
 * @param allocated      sum of the requests of the active instances on it
 * @param workloadCounts active instances on it, per workload name (for spreading); immutable, kept
 *                       as it is when it is a {@link WorkloadCounts}, else copied
 * @param reputation     aggregated scores; {@link Reputation#NEUTRAL} when unknown
 */
public record NodeSnapshot(Node node, Resources allocated, Map<String, Integer> workloadCounts, Reputation reputation) {
    public NodeSnapshot {
        // Already immutable and shared on purpose: copying it would undo what it is for.
        workloadCounts = workloadCounts instanceof WorkloadCounts ? workloadCounts : Map.copyOf(workloadCounts);
        reputation = reputation == null ? Reputation.NEUTRAL : reputation;
    }

    public String id() {
        return node.id();
    }

    public Resources free() {
        return node.capacity().minus(allocated);
    }

    public int countOf(String workload) {
        return workloadCounts.getOrDefault(workload, 0);
    }
}
