/**
 * Real containers: {@link dev.hypha.runtime.OciCliRuntime}, the {@link dev.hypha.spi.ContainerRuntime}
 * over the OCI runtime CLI (runc, crun, youki), with the config.json it writes, the monitor that
 * records exit codes, and the cgroup readers behind stats and OOM detection.
 *
 * <p>Subpackages: {@code image} (the local image store and the built-in busybox image) and
 * {@code probe} (liveness checks run against a container).
 */
package dev.hypha.runtime;
