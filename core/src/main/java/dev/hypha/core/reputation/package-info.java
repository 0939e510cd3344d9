/**
 * Reputation from observations, not opinions (DESIGN.md, "Reputation" and "Beyond the seed").
 *
 * <pre>
 *   agent reports, node deaths, gossip probes
 *        │  NodeEvent (crash attribution: NodeEvent#blame)
 *        ▼
 *   ReputationCrdt ◄──merge (per-counter max)──► peers' states (gossip, store)
 *        │  rows (observer, subject, hour): grow-only counters
 *        ▼
 *   ReputationBook: decay ─► evidence ─► credibility ─► EigenTrust ─► voice-weighted scores
 *        ▼
 *   dev.hypha.model.Reputation per node (reliability, efficiency, ecology, contribution)
 * </pre>
 *
 * <p>Everything is a value or a pure function: the caller passes {@code now}, and equal inputs give
 * bit-equal outputs.
 */
package dev.hypha.core.reputation;
