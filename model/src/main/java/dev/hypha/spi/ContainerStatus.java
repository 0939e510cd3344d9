package dev.hypha.spi;

import java.time.Instant;

/**
 * A container as the runtime sees it.
 *
 * @param exitCode  set once stopped, when known
 * @param oomKilled the kernel killed it for exceeding its memory limit
 */
public record ContainerStatus(String id, Status status, long pid, Instant createdAt, Integer exitCode, boolean oomKilled) {
    public enum Status { CREATED, RUNNING, PAUSED, STOPPED }

    public boolean running() {
        return status == Status.RUNNING;
    }
}
