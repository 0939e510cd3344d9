/**
 * The pure arithmetic of container health: restart back-off, energy estimates and turning two
 * runtime samples into {@link dev.hypha.model.ContainerHealthMetrics}.
 *
 * <p>Everything here is a function of its arguments: times come in as {@link java.time.Instant}s,
 * counters as numbers. The agent reads the clock and the cgroups, then asks these classes what the
 * numbers mean, so the rules can be table-tested without a machine.
 */
package dev.hypha.core.health;
