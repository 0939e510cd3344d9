package dev.hypha.runtime;

/**
 * What a command run inside a container ({@link OciCliRuntime#exec}) returned.
 *
 * @param exitCode the command's exit code; -1 when it timed out
 * @param timedOut the command outlived its deadline and was killed
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }
}
