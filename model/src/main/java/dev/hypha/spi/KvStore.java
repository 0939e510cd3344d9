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
 *
 * <p>Semantics follow etcd v3 exactly, so that every backend passes one contract test suite: a write
 * that changes nothing (deleting a missing key, a transaction whose chosen branch changes nothing)
 * does not advance the revision; all operations of one transaction share one revision; keys are
 * compared and ordered as their UTF-8 bytes; an empty key is rejected.
 */
public interface KvStore extends AutoCloseable {
    Optional<KeyValue> get(String key);

    /** Every key starting with {@code prefix}, in key order. */
    List<KeyValue> range(String prefix);

    /** Returns the revision of this write. */
    default long put(String key, byte[] value) {
        return put(key, value, 0);
    }

    /**
     * Puts with a lease ({@code 0} = none; a put without a lease detaches the key from any lease it
     * had). Returns the revision of this write.
     *
     * @throws LeaseNotFoundException when the lease has expired or was revoked
     */
    long put(String key, byte[] value, long leaseId);

    /** Returns whether the key existed; deleting a missing key leaves the revision unchanged. */
    boolean delete(String key);

    /**
     * Atomically: if every compare holds, apply {@code onSuccess}, else {@code onFailure}. Each
     * branch may name a key at most once (as etcd requires).
     *
     * @throws IllegalArgumentException when a branch names the same key twice
     * @throws LeaseNotFoundException when a put of the chosen branch names a missing lease; then
     *     nothing of the transaction is applied
     */
    TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure);

    /** The store's current revision (that of its latest write). */
    long revision();

    /**
     * Streams changes under {@code prefix} with revision greater than {@code afterRevision}: first
     * the stored history, then live changes. Throws {@link CompactedException} when the store no
     * longer has that history. If the watch ends without being closed, nobody is told: use the
     * overload with {@code onCancelled} when that matters. A listener that is a
     * {@link RevisionListener} also hears when each revision's events are all delivered.
     */
    Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener);

    /**
     * Like {@link #watch(String, long, Consumer)}, and calls {@code onCancelled} once, on the
     * store's thread, if the watch ends without being closed: etcd cancels a watch that fell behind
     * a compaction while disconnected ({@link CompactedException}), and a listener that throws ends
     * its watch (the exception is passed on). After that no more events come; re-read with
     * {@link #range} and watch again. Backends whose watches never end on their own need not
     * override this.
     */
    default Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
            Consumer<RuntimeException> onCancelled) {
        return watch(prefix, afterRevision, listener);
    }

    /**
     * Grants a lease that expires {@code ttl} after its grant or last keep-alive. etcd counts TTLs
     * in whole seconds and may raise a short TTL to its minimum (about 1.5 election timeouts).
     */
    long grantLease(Duration ttl);

    /** Refreshes the lease's TTL; false when it has already expired or was revoked. */
    boolean keepAlive(long leaseId);

    /** Revokes the lease and deletes its keys (all in one revision); a no-op for an unknown lease. */
    void revokeLease(long leaseId);

    /** Ends every watch and stops the store's threads; later calls throw {@link IllegalStateException}. */
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

    /**
     * One change of one key. For a PUT, {@code kv} is the key as written; for a DELETE it holds the
     * key, an empty value and the deletion's revision as modRevision (as etcd reports it).
     */
    record WatchEvent(Type type, KeyValue kv, long revision) {
        public enum Type { PUT, DELETE }
    }

    /**
     * A watch listener that also hears when every event of a revision under the watched prefix has
     * been delivered: {@link #revisionDelivered} is called once per such revision, after its last
     * event and before any event of a later revision.
     *
     * <p>Why: the events of one transaction arrive one at a time, and a reader that keeps a copy of
     * the state (and tells others which revision the copy is complete up to) must not count a
     * revision as seen while only some of its events are in.
     */
    interface RevisionListener extends Consumer<WatchEvent> {
        /** Every event of {@code revision} under the prefix has been passed to {@link #accept}. */
        void revisionDelivered(long revision);
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

    /** The lease named by a put has expired or was revoked (or never existed); grant a new one. */
    class LeaseNotFoundException extends RuntimeException {
        private final long leaseId;

        public LeaseNotFoundException(long leaseId) {
            super("lease " + leaseId + " not found: it expired, was revoked or never existed");
            this.leaseId = leaseId;
        }

        public long leaseId() {
            return leaseId;
        }
    }

    /** The store cannot be reached or failed; the operation may or may not have been applied. */
    class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
