package dev.hypha.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A key-value store with etcd v3's semantics; the whole control-plane state lives in one.
 *
 * <p>Every write gets the next value of one global, monotonically increasing revision. Keys carry
 * their create and modification revisions, so callers compare-and-swap through {@link #txn}.
 * {@link #watch} streams every change under a prefix from a given revision, in revision order,
 * which lets a reader rebuild any view after a restart. Leases are TTL handles: keys put with a
 * lease vanish when it expires unless it is kept alive.
 *
 * <p>Implementations are thread-safe. Watch listeners are called on the store's own thread, one
 * event at a time and in revision order; they must not block for long.
 */
public interface KvStore extends AutoCloseable {
    Optional<KeyValue> get(String key);

    /** Every key starting with {@code prefix}, in key order. */
    List<KeyValue> range(String prefix);

    /** Returns the revision of this write. */
    default long put(String key, byte[] value) {
        return put(key, value, 0);
    }

    /** Puts with a lease ({@code 0} = none). Returns the revision of this write. */
    long put(String key, byte[] value, long leaseId);

    /** Returns whether the key existed. */
    boolean delete(String key);

    /** Atomically: if every compare holds, apply {@code onSuccess}, else {@code onFailure}. */
    TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure);

    /** The store's current revision (that of its latest write). */
    long revision();

    /**
     * Streams changes under {@code prefix} with revision greater than {@code afterRevision}.
     * Throws {@link CompactedException} when the store no longer has that history.
     */
    Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener);

    long grantLease(Duration ttl);

    /** Refreshes the lease's TTL; false when it has already expired or was revoked. */
    boolean keepAlive(long leaseId);

    /** Revokes the lease and deletes its keys. */
    void revokeLease(long leaseId);

    @Override
    void close();

    record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {
        public String valueAsString() {
            return new String(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A condition of a transaction. */
    sealed interface Compare {
        String key();

        /** The key's modification revision equals {@code revision}; 0 means "the key does not exist". */
        record ModRevision(String key, long revision) implements Compare {}

        /** The key exists and its value is exactly {@code value}. */
        record ValueEquals(String key, byte[] value) implements Compare {}

        static Compare absent(String key) {
            return new ModRevision(key, 0);
        }
    }

    /** An operation of a transaction. */
    sealed interface Op {
        String key();

        record Put(String key, byte[] value, long leaseId) implements Op {
            public Put(String key, byte[] value) {
                this(key, value, 0);
            }
        }

        record Delete(String key) implements Op {}
    }

    /** @param revision the store revision after the transaction */
    record TxnResult(boolean succeeded, long revision) {}

    record WatchEvent(Type type, KeyValue kv, long revision) {
        public enum Type { PUT, DELETE }
    }

    /** A running watch; closing it stops the events. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** The requested revision was compacted away; re-read with {@link #range} and watch from the current revision. */
    class CompactedException extends RuntimeException {
        private final long compactRevision;

        public CompactedException(long compactRevision) {
            super("revision history compacted up to " + compactRevision);
            this.compactRevision = compactRevision;
        }

        public long compactRevision() {
            return compactRevision;
        }
    }

    /** The store cannot be reached or failed; the operation may or may not have been applied. */
    class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
