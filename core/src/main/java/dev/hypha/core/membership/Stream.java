package dev.hypha.core.membership;

import java.util.Objects;

/**
 * A state exchange the driver must carry to {@code destination} over a reliable stream.
 *
 * <p>For a request the driver opens a connection, writes it, reads the reply and feeds it back with
 * {@link SwimNode#step(StateExchange, java.time.Instant)}; if it cannot, it reports
 * {@link SwimNode#streamFailed(Stream, java.time.Instant)}. A reply goes back on the connection its
 * request came in on.
 */
public record Stream(String destination, StateExchange exchange) {
    public Stream {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(exchange, "exchange");
    }
}
