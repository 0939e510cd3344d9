package dev.hypha.gossip;

/**
 * A packet or stream frame that no installed key authenticates: it is dropped and counted, never
 * parsed.
 */
public final class RejectedPacketException extends Exception {
    public RejectedPacketException(String message) {
        super(message);
    }
}
