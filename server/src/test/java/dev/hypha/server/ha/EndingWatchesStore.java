package dev.hypha.server.ha;

import dev.hypha.spi.KvStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
final class EndingWatchesStore implements KvStore {
    private final KvStore store;
    private final Map<Watch, Consumer<RuntimeException>> open = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableCalls = new AtomicInteger();
    private final AtomicInteger watchesOpened = new AtomicInteger();

    EndingWatchesStore(KvStore store) {
        this.store = store;
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
    public Optional<KeyValue> get(String key) {
        return store.get(key);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return store.range(prefix);
    }

    @Override
    public long put(String key, byte[] value, long leaseId) {
        return store.put(key, value, leaseId);
    }

    @Override
    public boolean delete(String key) {
        return store.delete(key);
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        return store.txn(compares, onSuccess, onFailure);
    }

    @Override
    public long revision() {
        maybeUnavailable("revision");
        return store.revision();
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener) {
        return watch(prefix, afterRevision, listener, e -> { });
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
            Consumer<RuntimeException> onCancelled) {
        maybeUnavailable("watch");
        Watch inner = store.watch(prefix, afterRevision, listener, onCancelled);
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

    @Override
    public long grantLease(Duration ttl) {
        return store.grantLease(ttl);
    }

    @Override
    public boolean keepAlive(long leaseId) {
        return store.keepAlive(leaseId);
    }

    @Override
    public void revokeLease(long leaseId) {
        store.revokeLease(leaseId);
    }

    @Override
    public void close() {
        store.close();
    }
}
