/**
 * The node agent (the kubelet pattern): registers with a server, watches its assignments, runs
 * them through a {@link dev.hypha.spi.ContainerRuntime}, restarts them per policy, and reports
 * what it observes. It keeps no state of its own: after a restart it rebuilds everything from its
 * assignments and the containers the runtime still has, adopting those that run.
 */
package dev.hypha.agent;
