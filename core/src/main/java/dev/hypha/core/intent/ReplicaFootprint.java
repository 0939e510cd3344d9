package dev.hypha.core.intent;

import dev.hypha.model.Node;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;

/**
 * What one replica costs on one node, in money, power and carbon per hour: the planner's unit of
 * account, kept in one place so the formulas are stated once.
 *
 * <pre>
 *   cpu share    = request.cpu / capacity.cpu
 *   memory share = request.memory / capacity.memory
 *   share        = max(cpu share, memory share)    the part of the node the replica keeps from others
 *   cost/hour    = node.cost_per_hour × share
 *   watts        = idle × share + (max − idle) × cpu share
 *   CO2 g/hour   = watts × node.carbon_intensity (g/kWh) / 1000
 * </pre>
 *
 * The power line attributes the node's idle draw by the replica's share of the node (a node kept
 * on for it) and the dynamic draw by its cpu share, assuming the replica uses all the cpu it asks
 * for: an upper estimate, the same linear model the agent uses where RAPL is absent. Disk is not
 * priced: nodes sell cpu and memory.
 *
 * @param share           the part of the node the replica takes, 0..1 when it fits
 * @param cpuShare        the part of the node's cpu it takes
 * @param costPerHour     its share of the node's price per hour
 * @param watts           its estimated power draw
 * @param co2GramsPerHour its estimated emissions
 */
public record ReplicaFootprint(double share, double cpuShare, double costPerHour, double watts,
                               double co2GramsPerHour) {

    /** The footprint of one replica asking for {@code request} on {@code node}. */
    public static ReplicaFootprint of(Node node, Resources request) {
        Resources capacity = node.capacity();
        if (capacity.cpuMillicores() == 0 || capacity.memoryMb() == 0) {
            throw new IllegalArgumentException("node " + node.id() + " has no cpu or no memory capacity:"
                    + " no replica can have a share of it");
        }
        double cpuShare = (double) request.cpuMillicores() / capacity.cpuMillicores();
        double memoryShare = (double) request.memoryMb() / capacity.memoryMb();
        double share = Math.max(cpuShare, memoryShare);
        PowerProfile power = node.power();
        double watts = power.idleWatts() * share + (power.maxWatts() - power.idleWatts()) * cpuShare;
        return new ReplicaFootprint(share, cpuShare, node.costPerHour() * share, watts,
                watts * node.carbonIntensity() / 1000);
    }
}
