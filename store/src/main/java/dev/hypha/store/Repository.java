package dev.hypha.store;

import dev.hypha.model.Json;
import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.KeyValue;
import dev.hypha.spi.KvStore.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Records of one type stored as JSON under {@code prefix + id}.
 *
 * <p>Every write is one store operation, so a crash never leaves half an object. Conditional writes
 * ({@link #create}, {@link #update}) compare the key's modification revision and report a lost race
 * as {@code false}: the caller re-reads and retries, never forces.
 */
public final class Repository<T> {
    private final KvStore kv;
    private final String prefix;
    private final Class<T> type;
    private final List<Compare> guard;

    public Repository(KvStore kv, String prefix, Class<T> type) {
        this(kv, prefix, type, List.of());
    }

    private Repository(KvStore kv, String prefix, Class<T> type, List<Compare> guard) {
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end with '/': " + prefix);
        this.kv = kv;
        this.prefix = prefix;
        this.type = type;
        this.guard = List.copyOf(guard);
    }

    /**
     * The same repository whose every write also requires {@code condition} (e.g. "this server
     * still holds the leader key"): when it does not hold, the write fails as a lost race.
     */
    public Repository<T> guardedBy(Compare condition) {
        List<Compare> g = new ArrayList<>(guard);
        g.add(condition);
        return new Repository<>(kv, prefix, type, g);
    }

    private List<Compare> with(Compare c) {
        List<Compare> all = new ArrayList<>(guard);
        all.add(c);
        return all;
    }

    public String prefix() {
        return prefix;
    }

    public String key(String id) {
        return prefix + id;
    }

    /** The id of a key under this repository's prefix. */
    public String idOf(String key) {
        return key.substring(prefix.length());
    }

    public Optional<Versioned<T>> get(String id) {
        return kv.get(key(id)).map(this::decode);
    }

    public Optional<T> value(String id) {
        return get(id).map(Versioned::value);
    }

    public List<Versioned<T>> list() {
        List<KeyValue> kvs = kv.range(prefix);
        List<Versioned<T>> out = new ArrayList<>(kvs.size());
        for (KeyValue e : kvs) out.add(decode(e));
        return out;
    }

    public List<T> values() {
        return list().stream().map(Versioned::value).toList();
    }

    /** Stores {@code value} only if {@code id} does not exist yet. */
    public boolean create(String id, T value) {
        return kv.txn(with(Compare.absent(key(id))), List.of(new Op.Put(key(id), Json.bytes(value))), List.of())
                .succeeded();
    }

    /** Replaces the value only if it was not modified since {@code expectedModRevision}. */
    public boolean update(String id, T value, long expectedModRevision) {
        return kv.txn(with(new Compare.ModRevision(key(id), expectedModRevision)),
                List.of(new Op.Put(key(id), Json.bytes(value))), List.of()).succeeded();
    }

    /** Write regardless of the current value (but never past the guard). Returns whether it was written. */
    public boolean put(String id, T value) {
        if (guard.isEmpty()) {
            kv.put(key(id), Json.bytes(value));
            return true;
        }
        return kv.txn(guard, List.of(new Op.Put(key(id), Json.bytes(value))), List.of()).succeeded();
    }

    public boolean delete(String id) {
        if (guard.isEmpty()) return kv.delete(key(id));
        return kv.txn(guard, List.of(new Op.Delete(key(id))), List.of()).succeeded();
    }

    /** Deletes only if not modified since {@code expectedModRevision}. */
    public boolean delete(String id, long expectedModRevision) {
        return kv.txn(with(new Compare.ModRevision(key(id), expectedModRevision)), List.of(new Op.Delete(key(id))),
                List.of()).succeeded();
    }

    /**
     * Read-modify-write with retries on lost races. {@code change} returns the new value, or null to
     * leave the record as it is. Returns the stored value, or empty when the record does not exist.
     */
    public Optional<T> modify(String id, UnaryOperator<T> change) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Optional<Versioned<T>> cur = get(id);
            if (cur.isEmpty()) return Optional.empty();
            T next = change.apply(cur.get().value());
            if (next == null || next.equals(cur.get().value())) return Optional.of(cur.get().value());
            if (update(id, next, cur.get().modRevision())) return Optional.of(next);
        }
        throw new IllegalStateException("too much contention updating " + key(id));
    }

    // ---- parts of a transaction that spans repositories (see StateStore#commit) ----

    /** A transaction condition: {@code id} does not exist. */
    public Compare absent(String id) {
        return Compare.absent(key(id));
    }

    /** A transaction condition: {@code id} was not modified since {@code modRevision} (0: does not exist). */
    public Compare unchangedSince(String id, long modRevision) {
        return new Compare.ModRevision(key(id), modRevision);
    }

    /** A transaction operation that stores {@code value} under {@code id}. */
    public Op putOp(String id, T value) {
        return new Op.Put(key(id), Json.bytes(value));
    }

    /** A transaction operation that deletes {@code id}. */
    public Op deleteOp(String id) {
        return new Op.Delete(key(id));
    }

    public Versioned<T> decode(KeyValue e) {
        return new Versioned<>(Json.read(e.value(), type), e.modRevision());
    }

    public T decodeValue(byte[] data) {
        return Json.read(data, type);
    }
}
