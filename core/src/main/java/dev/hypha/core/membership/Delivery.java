package dev.hypha.core.membership;

import java.util.Objects;

/**
 * A broadcast payload delivered to the local member, once, on {@code channel}.
 *
 * @param origin the member that broadcast it
 */
public record Delivery(String channel, String origin, byte[] payload) {
    public Delivery {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Delivery d && channel.equals(d.channel) && origin.equals(d.origin)
                && java.util.Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, origin) * 31 + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Delivery[channel=" + channel + ", origin=" + origin + ", payload=" + payload.length + " bytes]";
    }
}
