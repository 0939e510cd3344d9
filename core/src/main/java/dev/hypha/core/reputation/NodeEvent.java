package dev.hypha.core.reputation;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Resources;

/**
 * One fact an observer saw about a node, as it is recorded into the reputation CRDT.
 *
 * <p><b>Crash attribution</b> (which events count against the node), in {@link #blame()}:
 * <ul>
 *   <li>for the node: a container it started ({@link ContainerStarted}), a probe it answered;</li>
 *   <li>against the node: a start that failed for the node's reasons (runtime error, cgroup or
 *       bundle set-up, disk full: {@link StartFailed} with {@link StartFailure#NODE}); an instance
 *       lost because the node died or was declared dead ({@link InstanceLost}); a container the
 *       node killed without being asked while it was within its limits, e.g. the host's OOM
 *       killer or a runtime failure ({@link ContainerExited} with {@link ExitCause#KILLED_BY_NODE});
 *       a probe it did not answer;</li>
 *   <li>not against the node, the workload's fault: a container that exits by itself, with any
 *       exit code ({@link ExitCause#BY_ITSELF}: zero is completion, non-zero is the workload's
 *       crash); a container killed for exceeding its own cgroup limit ({@link ExitCause#OWN_LIMIT}:
 *       a resource violation of the workload); a start that failed because of the image or
 *       command ({@link StartFailure#WORKLOAD});</li>
 *   <li>nobody's fault: a container the control plane asked to stop ({@link ExitCause#REQUESTED}).</li>
 * </ul>
 */
public sealed interface NodeEvent {
    Blame blame();

    /** The node started a container for an assignment. */
    record ContainerStarted() implements NodeEvent {
        public Blame blame() {
            return Blame.NODE_SUCCESS;
        }
    }

    /** A container could not be started. */
    record StartFailed(StartFailure cause) implements NodeEvent {
        public StartFailed {
            if (cause == null) throw new InvalidSpecException("a failed start needs its cause");
        }

        public Blame blame() {
            return cause == StartFailure.NODE ? Blame.NODE_FAILURE : Blame.WORKLOAD;
        }
    }

    /** Why a start failed. */
    enum StartFailure {
        /** The node's runtime, cgroups, bundle or disk failed. */
        NODE,
        /** The image is missing or broken, or the command cannot be executed. */
        WORKLOAD
    }

    /** A running container ended. */
    record ContainerExited(ExitCause cause, int exitCode) implements NodeEvent {
        public ContainerExited {
            if (cause == null) throw new InvalidSpecException("a container exit needs its cause");
        }

        public Blame blame() {
            return switch (cause) {
                case BY_ITSELF, OWN_LIMIT -> Blame.WORKLOAD;
                case REQUESTED -> Blame.NOBODY;
                case KILLED_BY_NODE -> Blame.NODE_FAILURE;
            };
        }
    }

    /** Why a running container ended. */
    enum ExitCause {
        /** Its process exited on its own (the exit code tells completion from crash: both are the workload's). */
        BY_ITSELF,
        /** The control plane stopped it (scale-down, replacement, deletion). */
        REQUESTED,
        /** It was killed for exceeding its own cgroup limit: the workload's resource violation. */
        OWN_LIMIT,
        /** The node killed it unasked while it was within its limits (host OOM killer, runtime failure). */
        KILLED_BY_NODE
    }

    /** The node died, or was declared dead, while the instance was assigned to it. */
    record InstanceLost() implements NodeEvent {
        public Blame blame() {
            return Blame.NODE_FAILURE;
        }
    }

    /** The node answered a gossip probe. */
    record ProbeAcked() implements NodeEvent {
        public Blame blame() {
            return Blame.NODE_SUCCESS;
        }
    }

    /** The node did not answer a gossip probe (directly or through the indirect probers). */
    record ProbeFailed() implements NodeEvent {
        public Blame blame() {
            return Blame.NODE_FAILURE;
        }
    }

    /**
     * A health sample of one instance on the node: what it used against what was pledged.
     * Use beyond the pledge is the workload's violation, so it is capped at the pledge here and
     * does not count for or against the node.
     *
     * @param seconds           the sample's length
     * @param pledged           the instance's pledged resources
     * @param cpuTimeMillis     cpu time used in the sample (millicore-seconds)
     * @param memoryMbAverage   average memory used in the sample
     * @param energyMillijoules energy of the sample (measured or modelled), or null when unknown
     */
    record UsageSampled(long seconds, Resources pledged, long cpuTimeMillis, long memoryMbAverage,
                        Long energyMillijoules) implements NodeEvent {
        public UsageSampled {
            if (seconds <= 0) throw new InvalidSpecException("a usage sample must last at least one second, got " + seconds);
            if (pledged == null) throw new InvalidSpecException("a usage sample needs the pledged resources");
            if (cpuTimeMillis < 0 || memoryMbAverage < 0 || (energyMillijoules != null && energyMillijoules < 0)) {
                throw new InvalidSpecException("usage must not be negative, got cpu_time_millis=" + cpuTimeMillis
                        + " memory_mb_average=" + memoryMbAverage + " energy_millijoules=" + energyMillijoules);
            }
        }

        public Blame blame() {
            return Blame.NOBODY;
        }
    }
}
