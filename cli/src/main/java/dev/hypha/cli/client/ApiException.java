package dev.hypha.cli.client;

import dev.hypha.cli.CliException;

/**
 * The server answered with an error status; the message is the problem's {@code detail}
 * (RFC 9457), ready to print. Callers that expect a status (404 before a create) check
 * {@link #status()}.
 */
public final class ApiException extends CliException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
