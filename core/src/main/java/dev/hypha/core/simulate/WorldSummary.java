package dev.hypha.core.simulate;

/**
 * What a generated {@link World} holds, in counts: the header of a simulation report, so its
 * reader knows how many nodes misbehaved before comparing the profiles.
 *
 * @param outages           crashes scheduled over the whole simulation
 * @param replicasRequested the sum of the workloads' replica counts
 * @param cpuMillicores     the cluster's total cpu capacity
 */
public record WorldSummary(int nodes, int members, int flakyNodes, int liarNodes, int crashingNodes, int outages,
                           int workloads, long replicasRequested, long cpuMillicores) {}
