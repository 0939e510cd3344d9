/**
 * The mycelial economy in the running server (DESIGN.md, "The mycelial economy"): the I/O around
 * the pure rules of {@code dev.hypha.core.economy} and {@code dev.hypha.core.reputation}.
 *
 * <pre>
 *   WorkloadController ── place ──► Pledge (same transaction as the instance) ── remove ──► released
 *                                     │
 *   SettlementController (leader, every settle interval)
 *        measured usage per aligned period ──► Settlement.settle ──► /hypha/ledger/settle:&lt;i&gt;:&lt;t&gt;
 *        (create-if-absent, with the instance's SettlementCursor, in one transaction)
 *                                     │
 *   agent start outcomes, lost instances, usage ──► ReputationRecorder (observer = this server)
 *        own rows ──► /hypha/reputation/&lt;server&gt;        gossip seam: merge / deltaFor
 *                                     │
 *   EconomyService: EconomyView (ledger, pledges, ReputationBook scores), cached per pass
 *        ──► ClusterView (scheduler), credit check on new work, EconomyRoutes (HTTP)
 * </pre>
 */
package dev.hypha.server.economy;
