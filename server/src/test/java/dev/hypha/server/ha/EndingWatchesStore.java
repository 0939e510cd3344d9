package dev.hypha.server.ha;

import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.ForwardingKvStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link KvStore} that passes everything to a real one, but lets a test end its watches the way
 * etcd does after a compaction, and make the store unavailable for a number of calls.
 *
 * <p>Why a fake: SQLite's watches never end on their own, and making etcd cancel a watch needs a
 * cut link and a compaction (the etcd test does that too). This one makes the notifier's recovery
 * path fast and deterministic.
 */
final class EndingWatchesStore extends ForwardingKvStore {
    private final Map<Watch, Consumer<RuntimeException>> open = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableCalls = new AtomicInteger();
    private final AtomicInteger watchesOpened = new AtomicInteger();

    EndingWatchesStore(KvStore store) {
        super(store);
    }

    /** Ends every open watch as etcd does after a compaction: no more events, then onCancelled once. */
    void endWatches(RuntimeException reason) {
        for (var entry : Map.copyOf(open).entrySet()) {
            entry.getKey().close();
            entry.getValue().accept(reason);
        }
    }

    /** The next {@code calls} reads of the revision and watch openings fail as if the store were down. */
    void unavailableFor(int calls) {
        unavailableCalls.set(calls);
    }

    int watchesOpened() {
        return watchesOpened.get();
    }

    int openWatches() {
        return open.size();
    }

    private void maybeUnavailable(String what) {
        if (unavailableCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreUnavailableException("store unavailable (test) during " + what, null);
        }
    }

    @Override
    public long revision() {
        maybeUnavailable("revision");
        return delegate.revision();
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener) {
        return watch(prefix, afterRevision, listener, e -> { });
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
            Consumer<RuntimeException> onCancelled) {
        maybeUnavailable("watch");
        Watch inner = delegate.watch(prefix, afterRevision, listener, onCancelled);
        Watch outer = new Watch() {
            @Override
            public void close() {
                open.remove(this);
                inner.close();
            }
        };
        open.put(outer, onCancelled);
        watchesOpened.incrementAndGet();
        return outer;
    }
}
