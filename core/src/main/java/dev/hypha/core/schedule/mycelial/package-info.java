/**
 * The plugins of the {@code mycelial} scheduling profile (DESIGN.md, "Mycelial score"): they send
 * work toward nodes that are reliable, use what they pledge and run on clean energy, and whose
 * members have taken more than they gave and so have credit to earn back, while spreading load so
 * the best node is not filled before the others get work.
 *
 * <p>Score plugins read only the snapshot: {@code NodeSnapshot.reputation()} (computed by
 * {@code dev.hypha.core.reputation.ReputationBook}), the node's carbon intensity, and
 * {@code ClusterSnapshot.memberBalances()} (from the ledger). Each returns a score in 0..1 and
 * the profile applies the weights of {@link dev.hypha.core.schedule.mycelial.MycelialWeights},
 * whose {@code plugins(...)} lists the whole profile.
 *
 * <p>Credit standing enters twice: the hard limit as {@link dev.hypha.core.schedule.mycelial.CreditLimitFilter},
 * the soft limit as the controller's placement order ({@code CreditPolicy.placementOrder}).
 */
package dev.hypha.core.schedule.mycelial;
