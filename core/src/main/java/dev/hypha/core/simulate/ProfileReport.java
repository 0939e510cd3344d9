package dev.hypha.core.simulate;

/**
 * What one scheduler profile achieved on a simulated scenario: one column of the side-by-side
 * report.
 *
 * <p>Consistent by construction: {@code placed + unplaceable = placementAttempts} and
 * {@code startFailures + killedByNode + lostInCrashes = replicasLost}.
 *
 * @param placementAttempts     replicas the reconciler asked the scheduler to place (every Place
 *                              action, including replacements and retries)
 * @param placed                attempts the scheduler assigned to a node
 * @param unplaceable           attempts no node could take; retried with back-off while the workload lasts
 * @param placementSuccessRate  placed / attempts (1 when nothing was attempted)
 * @param replicasLost          replicas lost for their node's reasons: the sum of the three below
 * @param startFailures         starts a node failed (flaky nodes)
 * @param killedByNode          running replicas a node killed unasked (flaky nodes)
 * @param lostInCrashes         pending or running replicas on a node when it crashed
 * @param meanChosenReliability mean {@link SimulatedNode#trueReliability()} of the nodes chosen by
 *                              the placements
 * @param meanNodesEvaluated    nodes the scheduler ran through its filters per call, on average:
 *                              its work per placement (a sample on large clusters, more for
 *                              workloads held to a few regions, every node when none fits)
 * @param cpuUtilisation        time-weighted allocated cpu over the cpu of the nodes that are up
 * @param meanRunningReplicas   time-weighted mean number of running replicas
 * @param balanceGini           {@link Gini} of the members' credit balances at the end
 * @param balanceStdDevCredits  standard deviation of the members' balances at the end, in credits
 * @param co2GramsPerHour       time-weighted emissions of the running replicas ({@code ReplicaFootprint})
 * @param costPerHour           time-weighted price of the running replicas' share of their nodes
 * @param replicasMissingAtEnd  replicas the present workloads asked for but did not have at the end
 */
public record ProfileReport(String profile, long placementAttempts, long placed, long unplaceable,
                            double placementSuccessRate, long replicasLost, long startFailures, long killedByNode,
                            long lostInCrashes, double meanChosenReliability, double meanNodesEvaluated,
                            double cpuUtilisation,
                            double meanRunningReplicas, double balanceGini, double balanceStdDevCredits,
                            double co2GramsPerHour, double costPerHour, long replicasMissingAtEnd) {}
