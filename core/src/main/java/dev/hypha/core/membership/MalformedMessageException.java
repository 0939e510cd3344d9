package dev.hypha.core.membership;

/**
 * Bytes that are not a valid SWIM packet or state exchange of a version this member speaks.
 *
 * <p>Unchecked: the driver catches it around decoding, counts the packet and drops it.
 */
public final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
