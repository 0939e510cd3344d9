package dev.hypha.runtime.probe;

import dev.hypha.runtime.ExecResult;
import java.time.Duration;
import java.util.List;

/**
 * Runs a command inside a container: {@link dev.hypha.runtime.OciCliRuntime#exec} in production,
 * a lambda in tests.
 */
@FunctionalInterface
public interface ContainerExec {
    ExecResult exec(String containerId, List<String> command, Duration timeout);
}
