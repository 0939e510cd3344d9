/**
 * Simulated networking for tests: {@link dev.hypha.testkit.net.InMemoryNetwork} (loss, delay, cuts,
 * isolation, on a virtual clock) and {@link dev.hypha.testkit.net.SwimSimulator}, which runs
 * thousands of SWIM members on it deterministically and reports detection times, false positives,
 * bandwidth and dissemination ({@link dev.hypha.testkit.net.SimulationReport}).
 */
package dev.hypha.testkit.net;
