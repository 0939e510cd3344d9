package dev.hypha.spi;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who is in the cluster and in what state (the seed's ClusterManager), plus a best-effort
 * broadcast channel piggybacked on the membership protocol.
 *
 * <p>Thread-safe. Listeners are called on the membership's own thread, one event at a time,
 * and must not block.
 */
public interface ClusterMembership extends AutoCloseable {
    String localId();

    List<MemberInfo> members();

    /** Called for every change of a member's state or metadata. */
    void onChange(Consumer<MemberInfo> listener);

    /** Disseminates {@code payload} to every member on {@code channel}, at most once per member. */
    void broadcast(String channel, byte[] payload);

    void onBroadcast(String channel, Consumer<byte[]> listener);

    /** Announces a graceful leave and waits up to {@code timeout} for it to spread. */
    void leave(Duration timeout);

    @Override
    void close();
}
