package dev.hypha.core.membership;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Updates waiting to be piggybacked, each sent a limited number of times (memberlist's
 * TransmitLimitedQueue).
 *
 * <p>Least-sent first: entries sit in one bucket per transmit count, and a packet is filled from
 * bucket 0 up. Unsent news goes first, newest first; after that each bucket is first in, first out.
 * An update about a member replaces any older one about the same member (same key): only the latest
 * word on a member is worth bandwidth. Not thread-safe.
 */
final class BroadcastQueue {
    /** Smallest message worth looking for once a packet is nearly full (an ack is 2 bytes). */
    private static final int SMALLEST_MESSAGE = 4;
    /** Entries that did not fit the remaining room, scanned before giving up on filling a packet. */
    private static final int MAX_SKIPPED = 32;

    private static final class Entry {
        final String key;
        final SwimMessage message;
        final int size;
        int transmits;
        boolean replaced;

        Entry(String key, SwimMessage message, int size) {
            this.key = key;
            this.message = message;
            this.size = size;
        }
    }

    /** Bucket t holds the entries sent t times; replaced entries are skipped and dropped lazily. */
    private final List<ArrayDeque<Entry>> buckets = new ArrayList<>();
    private final Map<String, Entry> byKey = new HashMap<>();

    /** Queues {@code message} of encoded {@code size}, replacing what was queued under {@code key}. */
    void enqueue(String key, SwimMessage message, int size) {
        Entry entry = new Entry(key, message, size);
        Entry old = byKey.put(key, entry);
        if (old != null) old.replaced = true;
        bucket(0).addFirst(entry);
    }

    /**
     * Takes messages that fit in {@code room} bytes, counting one transmission for each; a message
     * sent {@code limit} times leaves the queue.
     */
    List<SwimMessage> take(int room, int limit) {
        if (byKey.isEmpty() || room < SMALLEST_MESSAGE) return List.of();
        List<Entry> chosen = null;
        int skipped = 0;
        scan:
        for (int t = 0; t < buckets.size(); t++) {
            Iterator<Entry> it = buckets.get(t).iterator();
            while (it.hasNext()) {
                if (room < SMALLEST_MESSAGE || skipped > MAX_SKIPPED) break scan;
                Entry e = it.next();
                if (e.replaced || e.transmits >= limit) {
                    // Replaced, or over a limit that shrank with the group: gone either way.
                    it.remove();
                    if (!e.replaced) byKey.remove(e.key);
                    continue;
                }
                if (e.size <= room) {
                    it.remove();
                    if (chosen == null) chosen = new ArrayList<>();
                    chosen.add(e);
                    room -= e.size;
                } else {
                    skipped++;
                }
            }
        }
        if (chosen == null) return List.of();
        List<SwimMessage> messages = new ArrayList<>(chosen.size());
        for (Entry e : chosen) {
            e.transmits++;
            messages.add(e.message);
            if (e.transmits >= limit) {
                byKey.remove(e.key);
            } else {
                bucket(e.transmits).addLast(e);
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

    private ArrayDeque<Entry> bucket(int transmits) {
        while (buckets.size() <= transmits) buckets.add(new ArrayDeque<>());
        return buckets.get(transmits);
    }
}
