package dev.hypha.core.simulate;

import dev.hypha.model.WorkloadSpec;

/**
 * A workload of the simulated scenario: what it asks for, when it arrives and leaves, and how much
 * of its request it really uses (which settlement charges).
 *
 * @param arrivesAt  virtual milliseconds since the simulation started
 * @param departsAt  virtual milliseconds; may lie past the end of the simulation
 * @param cpuUse     fraction of its requested cpu the workload uses, 0..1
 * @param memoryUse  fraction of its requested memory it uses, 0..1
 */
public record PlannedWorkload(WorkloadSpec spec, long arrivesAt, long departsAt, double cpuUse, double memoryUse) {}
