package dev.hypha.core.simulate;

import dev.hypha.model.Node;
import java.util.List;

/**
 * One machine of a simulated cluster: its {@link Node} record and how it behaves, which only the
 * simulator knows (the scheduler sees the node and its reputation, never these flags).
 *
 * @param flaky          fails container starts with {@code startFailure} probability and kills
 *                       running replicas at {@code killsPerHour}
 * @param liar           reports false observations about the nodes it witnesses: failures of
 *                       honest nodes, successes of fellow liars
 * @param crashing       crashes now and then and comes back empty (see {@link World#outages()})
 * @param startFailure   probability that a container start fails for the node's reasons
 * @param killsPerHour   rate at which a running replica is killed by the node, per replica-hour
 * @param crashesPerHour rate of crashes (0 for nodes that do not crash)
 * @param witnessedBy    indexes of the nodes that observe this one's work besides the server
 */
public record SimulatedNode(Node node, boolean flaky, boolean liar, boolean crashing, double startFailure,
                            double killsPerHour, double crashesPerHour, List<Integer> witnessedBy) {
    public SimulatedNode {
        witnessedBy = List.copyOf(witnessedBy);
    }

    /**
     * The node's true reliability: the probability that a replica placed on it starts and then
     * survives one hour, {@code (1 - startFailure) x e^-killsPerHour x e^-crashesPerHour}. 1 for a
     * node that never fails. The report's "mean reliability of the chosen nodes" averages it over
     * placements: what the scheduler should have known, not what reputation told it.
     */
    public double trueReliability() {
        return (1 - startFailure) * Math.exp(-killsPerHour) * Math.exp(-crashesPerHour);
    }
}
