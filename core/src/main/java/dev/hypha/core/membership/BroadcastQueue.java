package dev.hypha.core.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Updates waiting to be piggybacked, each sent a limited number of times (memberlist's
 * TransmitLimitedQueue).
 *
 * <p>Least-sent first, newest first among equals, so fresh news travels before old news. An update
 * about a member replaces any older one about the same member (same key): only the latest word on a
 * member is worth bandwidth. Not thread-safe.
 */
final class BroadcastQueue {
    /** Smallest message worth looking for once a packet is nearly full (an ack is 2 bytes). */
    private static final int SMALLEST_MESSAGE = 4;
    /** Entries that did not fit the remaining room, scanned before giving up on filling a packet. */
    private static final int MAX_SKIPPED = 32;

    private static final class Entry implements Comparable<Entry> {
        final String key;
        final SwimMessage message;
        final int size;
        final long order;
        int transmits;

        Entry(String key, SwimMessage message, int size, long order) {
            this.key = key;
            this.message = message;
            this.size = size;
            this.order = order;
        }

        @Override
        public int compareTo(Entry o) {
            if (transmits != o.transmits) return Integer.compare(transmits, o.transmits);
            return Long.compare(o.order, order);
        }
    }

    private final TreeSet<Entry> ordered = new TreeSet<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    private long nextOrder;

    /** Queues {@code message} of encoded {@code size}, replacing what was queued under {@code key}. */
    void enqueue(String key, SwimMessage message, int size) {
        Entry old = byKey.remove(key);
        if (old != null) ordered.remove(old);
        Entry entry = new Entry(key, message, size, nextOrder++);
        byKey.put(key, entry);
        ordered.add(entry);
    }

    /**
     * Takes messages that fit in {@code room} bytes, counting one transmission for each; a message
     * sent {@code limit} times leaves the queue.
     */
    List<SwimMessage> take(int room, int limit) {
        if (ordered.isEmpty() || room < SMALLEST_MESSAGE) return List.of();
        List<Entry> chosen = new ArrayList<>();
        int skipped = 0;
        for (Entry e : ordered) {
            if (room < SMALLEST_MESSAGE || skipped > MAX_SKIPPED) break;
            if (e.size <= room) {
                chosen.add(e);
                room -= e.size;
            } else {
                skipped++;
            }
        }
        if (chosen.isEmpty()) return List.of();
        List<SwimMessage> messages = new ArrayList<>(chosen.size());
        for (Entry e : chosen) {
            ordered.remove(e);
            e.transmits++;
            messages.add(e.message);
            if (e.transmits >= limit) {
                byKey.remove(e.key);
            } else {
                ordered.add(e);
            }
        }
        return messages;
    }

    boolean contains(String key) {
        return byKey.containsKey(key);
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    int size() {
        return byKey.size();
    }
}
