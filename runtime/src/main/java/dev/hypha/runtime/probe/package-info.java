/**
 * Liveness checks (exec, TCP, HTTP, as Kubernetes' probes) and the prober that runs one check
 * against one container. The agent decides how often and what to do after failures; the check
 * records carry its period, timeout and failure threshold.
 */
package dev.hypha.runtime.probe;
