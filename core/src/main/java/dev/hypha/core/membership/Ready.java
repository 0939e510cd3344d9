package dev.hypha.core.membership;

import java.util.List;

/**
 * Everything one call into a {@link SwimNode} asks its driver to do or to know, as in etcd-raft's Ready.
 *
 * <p>The driver sends {@code packets} as datagrams and {@code streams} over reliable connections,
 * tells listeners about {@code changes} and {@code deliveries}, and may log {@code events}. Nothing
 * here has happened yet on the network: the node only asks.
 *
 * @param packets    datagrams to send, each to its destination
 * @param streams    state exchanges to carry over TCP (requests to open, or replies to requests)
 * @param changes    members whose state or metadata changed, in order
 * @param events     things that happened to the local member
 * @param deliveries broadcasts to hand to the local listeners
 */
public record Ready(
        List<Packet> packets,
        List<Stream> streams,
        List<MemberChange> changes,
        List<SwimEvent> events,
        List<Delivery> deliveries) {

    public static final Ready EMPTY = new Ready(List.of(), List.of(), List.of(), List.of(), List.of());

    public Ready {
        packets = List.copyOf(packets);
        streams = List.copyOf(streams);
        changes = List.copyOf(changes);
        events = List.copyOf(events);
        deliveries = List.copyOf(deliveries);
    }

    public boolean isEmpty() {
        return packets.isEmpty() && streams.isEmpty() && changes.isEmpty() && events.isEmpty() && deliveries.isEmpty();
    }
}
