/**
 * The cluster simulator behind {@code hypha simulate} (DESIGN.md, "The core is deterministic"):
 * thousands of simulated nodes and workloads on a virtual clock, driving the real reconciler,
 * scheduler, settlement and reputation code, to compare scheduler profiles on one seeded scenario.
 *
 * <pre>
 *   Scenario ──generate──► World (nodes, members, workloads, outages; immutable)
 *                              │  once per profile
 *                              ▼
 *   ProfileRun: events on a virtual clock
 *     arrival / departure / retry ─► Reconciler.plan ─► Place ─► PipelineScheduler ─► hold, start
 *     start / kill / crash        ─► NodeEvent observations (server + witnesses; liars lie)
 *     every hour                  ─► settle (PriceTable) ─► balances
 *                                 ─► ReputationCrdt.recordAll ─► ReputationBook.scores
 *                              ▼
 *   ProfileReport per profile ─► SimulationReport (side by side)
 * </pre>
 *
 * <p>Pure: no clock, threads or I/O. Time is a {@code long} of virtual milliseconds, randomness
 * comes from the scenario's seed, and equal scenarios give equal reports.
 */
package dev.hypha.core.simulate;
