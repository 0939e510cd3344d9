package dev.hypha.core.simulate;

/**
 * A crash of one node: it goes down at {@code downAt}, losing every replica on it, and comes back
 * empty at {@code upAt} (virtual milliseconds since the simulation started).
 *
 * @param node index of the node in {@link World#nodes()}
 */
public record Outage(int node, long downAt, long upAt) {}
