package dev.hypha.store.kv;

import dev.hypha.spi.KvStore.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A watch listener that keeps every event and the threads it was called on, for assertions. */
final class EventRecorder implements Consumer<WatchEvent> {
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public synchronized void accept(WatchEvent event) {
        events.add(event);
        threads.add(Thread.currentThread());
    }

    synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** "PUT /a=1@7" or "DELETE /a@9" per event: short to compare and readable in a failure. */
    synchronized List<String> summary() {
        return events.stream().map(EventRecorder::summary).toList();
    }

    static String summary(WatchEvent event) {
        return switch (event.type()) {
            case PUT -> "PUT " + event.kv().key() + "=" + event.kv().valueAsString() + "@" + event.revision();
            case DELETE -> "DELETE " + event.kv().key() + "@" + event.revision();
        };
    }
}
