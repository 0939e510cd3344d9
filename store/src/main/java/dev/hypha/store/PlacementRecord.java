package dev.hypha.store;

import dev.hypha.spi.Decision;
import java.time.Instant;

/**
 * A stored scheduling decision, kept for {@code hypha workload explain}.
 *
 * @param outcome "assigned" or "unplaceable"
 * @param nodeId  the chosen node, or null when unplaceable
 */
public record PlacementRecord(String workload, String instanceId, Instant at, String outcome, String nodeId,
                              Decision decision) {}
