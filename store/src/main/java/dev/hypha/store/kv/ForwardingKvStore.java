package dev.hypha.store.kv;

import dev.hypha.spi.KvStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link KvStore} that passes every call to another one, for views that change a few calls and
 * keep the rest: the leader's fenced view checks its term before each write, and tests slow down,
 * hold or fail chosen calls. Subclasses override only what they change; closing closes the
 * delegate unless a subclass says otherwise.
 */
public abstract class ForwardingKvStore implements KvStore {
    protected final KvStore delegate;

    protected ForwardingKvStore(KvStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return delegate.get(key);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return delegate.range(prefix);
    }

    @Override
    public long put(String key, byte[] value, long leaseId) {
        return delegate.put(key, value, leaseId);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        return delegate.txn(compares, onSuccess, onFailure);
    }

    @Override
    public long revision() {
        return delegate.revision();
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener) {
        return delegate.watch(prefix, afterRevision, listener);
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
            Consumer<RuntimeException> onCancelled) {
        return delegate.watch(prefix, afterRevision, listener, onCancelled);
    }

    @Override
    public long grantLease(Duration ttl) {
        return delegate.grantLease(ttl);
    }

    @Override
    public boolean keepAlive(long leaseId) {
        return delegate.keepAlive(leaseId);
    }

    @Override
    public void revokeLease(long leaseId) {
        delegate.revokeLease(leaseId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
