/**
 * The mycelial economy's records as they are stored, gossiped and shown by the API: ledger
 * entries, pledges, member accounts, credit balances and reputation observations.
 *
 * <p>They live in the model (not the core) because the store serialises them and the API shows
 * them; the rules that produce them (settlement, credit limits, the reputation CRDT and its
 * aggregation) are pure functions in {@code dev.hypha.core.economy} and
 * {@code dev.hypha.core.reputation}. Amounts of credit are integers of micro-credits
 * (1 credit = 1,000,000 micro-credits): balances never touch floating point, so the ledger sums to
 * exactly zero.
 */
package dev.hypha.model.economy;
