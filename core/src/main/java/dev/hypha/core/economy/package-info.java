/**
 * The mutual-credit side of the mycelial economy (DESIGN.md, "The mycelial economy"), as pure
 * functions over records.
 *
 * <pre>
 *   placement ──► Pledge (node's member ──resources──► workload's member)
 *                   │  measured usage per aligned period
 *                   ▼
 *   Settlement.settle ──► LedgerEntry "settle:&lt;instance&gt;:&lt;periodStart&gt;"
 *                   │  (host member credited, workload member debited, PriceTable, floor once)
 *                   ▼
 *   Ledger.post ──► balances (sum exactly 0) ──► CreditPolicy.check ──► Ok | LowPriority | Refused
 * </pre>
 *
 * <p>Nothing here reads a clock or does I/O: time arrives as arguments, and the caller (the
 * server's settlement loop) writes the entries a {@link dev.hypha.core.economy.Posting} returns.
 */
package dev.hypha.core.economy;
