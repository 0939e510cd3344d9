package dev.hypha.agent;

import dev.hypha.core.health.RestartBackoff;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.spi.ContainerStatus;
import java.time.Instant;

/**
 * What the agent should do next for one assigned instance, given what the runtime shows. Pure:
 * the agent loop does the I/O.
 */
public final class Supervision {
    private Supervision() {}

    /**
     * The agent's memory of one instance between passes (rebuilt from the assignment after a restart).
     *
     * @param killedBecause why the agent killed the last run (a failed liveness check), or null when
     *                      it ended by itself; it explains the exit until the next start
     */
    public record Local(int restarts, int crashLoop, Instant startedAt, Instant restartAfter, Integer lastExit,
                        boolean lastOom, InstanceState state, String message, String killedBecause) {
        public static Local from(Instance i) {
            return new Local(i.restarts(), 0, i.startedAt(), null, i.exitCode(), false, i.state(), i.message(), null);
        }

        /** The same memory, noting that the agent is about to kill the running container and why. */
        public Local killing(String reason) {
            return new Local(restarts, crashLoop, startedAt, restartAfter, lastExit, lastOom, state, message, reason);
        }
    }

    public sealed interface Step {
        /** Nothing to do; report the state as it is. */
        record Keep() implements Step {}

        /** Create and start a container (first start, or after the back-off). */
        record Start(boolean isRestart) implements Step {}

        /** The container exited and will be restarted at {@code at}. */
        record WaitToRestart(Instant at) implements Step {}

        /** The container exited and the policy says it stays down. */
        record Finished() implements Step {}

        /** The control plane wants it stopped. */
        record Stop() implements Step {}
    }

    public static Step decide(Instance assigned, ContainerStatus container, Local local, Instant now) {
        if (assigned.desired() == DesiredState.STOP) {
            return container == null && local.state().isTerminal() ? new Step.Keep() : new Step.Stop();
        }
        if (container != null && (container.running() || container.status() == ContainerStatus.Status.CREATED)) {
            return new Step.Keep();
        }
        if (container == null) {
            // Never started here, or removed after it finished: a finished instance stays finished.
            if (local.state().isTerminal()) return new Step.Keep();
            if (local.restartAfter() != null && now.isBefore(local.restartAfter())) return new Step.WaitToRestart(local.restartAfter());
            return new Step.Start(local.restartAfter() != null);
        }
        // Stopped by itself: the restart policy decides.
        int exit = container.exitCode() == null ? 0 : container.exitCode();
        if (!assigned.spec().restartPolicy().restarts(exit)) return new Step.Finished();
        Instant started = local.startedAt() == null ? now : local.startedAt();
        return new Step.WaitToRestart(RestartBackoff.restartAt(now, RestartBackoff.crashesAfterExit(local.crashLoop(), started, now)));
    }
}
