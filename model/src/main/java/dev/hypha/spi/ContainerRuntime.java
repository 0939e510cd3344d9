package dev.hypha.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The OCI container lifecycle on one machine: create, start (or both: run), state, stats, kill, delete, list.
 *
 * <p>Implementations are thread-safe; calls for different containers may run concurrently, calls
 * for one container are made serially by the agent. Containers outlive the process that made
 * them: {@link #list()} after a restart finds the ones still there. Failures throw
 * {@link RuntimeFailure} with a message that says what went wrong.
 */
public interface ContainerRuntime {
    /** The runtime's name as shown to users ("runc", "fake" …). */
    String name();

    /** Prepares the bundle and creates the container, stdio going to {@code spec.logPath()}. Not yet started. */
    void create(ContainerSpec spec);

    void start(String containerId);

    /**
     * Creates and starts the container: what the agent does for each start. Runtimes that can do
     * both in one step (runc's {@code run --detach}) override it, since every start waits for it.
     * On failure the caller deletes whatever may be left, as after a failed {@link #start}.
     */
    default void run(ContainerSpec spec) {
        create(spec);
        start(spec.id());
    }

    /** The container's state, or empty when the runtime does not know it. */
    Optional<ContainerStatus> state(String containerId);

    /** Resource usage counters; empty when the container is gone. */
    Optional<ContainerStats> stats(String containerId);

    /** Sends TERM, waits up to {@code grace}, then KILL. Returns when the container has stopped. */
    void kill(String containerId, Duration grace);

    /** Removes a stopped container and everything it owned (bundle, cgroup). Unknown ids are ignored. */
    void delete(String containerId);

    /** Every container this runtime manages on this machine (its own state root only). */
    List<ContainerStatus> list();

    /** Raised when the runtime cannot do what was asked; {@code nodeFault} tells the economy whom to blame. */
    class RuntimeFailure extends RuntimeException {
        private final boolean nodeFault;

        public RuntimeFailure(String message, boolean nodeFault) {
            super(message);
            this.nodeFault = nodeFault;
        }

        public RuntimeFailure(String message, boolean nodeFault, Throwable cause) {
            super(message, cause);
            this.nodeFault = nodeFault;
        }

        public boolean nodeFault() {
            return nodeFault;
        }
    }
}
