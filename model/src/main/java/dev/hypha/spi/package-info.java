/**
 * The ports of Hypha (DESIGN.md, "The four ports"): ContainerRuntime, ClusterMembership,
 * Scheduler and the state store's KvStore. The core depends on these; adapters implement them.
 * Each interface says in its Javadoc which threads may call it.
 */
package dev.hypha.spi;
