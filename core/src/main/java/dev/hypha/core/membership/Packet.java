package dev.hypha.core.membership;

import java.util.List;
import java.util.Objects;

/**
 * One datagram of the SWIM protocol: a compound of messages from one member to one address.
 *
 * <p>The sender names itself in every packet ({@code sourceId}, {@code sourceAddress}), so replies go
 * to its advertised address whatever the socket's source address was. {@code destination} is not on
 * the wire: it is where the driver sends the packet (or, when decoding, where it arrived).
 */
public record Packet(String sourceId, String sourceAddress, String destination, List<SwimMessage> messages) {
    public Packet {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(destination, "destination");
        messages = List.copyOf(messages);
    }
}
