package dev.hypha.cli;

/**
 * A command failed for a reason the person running it should read: printed as
 * {@code hypha: <message>} on stderr, exit code 1.
 *
 * <p>Usage mistakes are not this type: they are picocli parameter exceptions (exit code 2).
 */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
