package dev.hypha.store;

import dev.hypha.model.Json;
import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.KeyValue;
import dev.hypha.spi.KvStore.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Records of one type stored as JSON under {@code prefix + id}.
 *
 * <p>Every write is one store operation, so a crash never leaves half an object. Conditional writes
 * ({@link #create}, {@link #update}) compare the key's modification revision and report a lost race
 * as {@code false}: the caller re-reads and retries, never forces.
 *
 * <p>Decoded records are kept by key and reused while the key's modification revision is the same
 * (a revision names one value of a key, and records are immutable): the controller and every
 * agent's long-poll read whole prefixes again and again, and decoding the JSON of every record on
 * every read cost more than everything else they do (measured end to end with 1,000 instances).
 *
 * <p>A repository made {@link #rememberingWrites() remembering its writes} also keeps what it
 * encoded for a write until the written bytes are read back (by a watch, or a read of the key):
 * bytes equal to those it encoded decode to the value it encoded, so it hands out that value
 * instead of parsing the JSON again. For instances and workloads, which the server writes and then
 * reads back through its own watch, that was most of the decoding left.
 */
public final class Repository<T> {
    private final KvStore kv;
    private final String prefix;
    private final Class<T> type;
    private final List<Compare> guard;
    /** Decoded records by key, valid while the key's mod revision matches; shared with guarded views. */
    private final ConcurrentHashMap<String, Versioned<T>> decoded;
    /**
     * What this repository encoded for writes not read back yet, by key; null when it does not
     * remember writes. Shared with guarded views.
     */
    private final ConcurrentHashMap<String, Encoded<T>> written;
    /**
     * Remembered writes at most: a write that lost its race (or whose key changed again before it
     * was read) is never read back, and all are forgotten at once past this.
     */
    static final int MAX_REMEMBERED_WRITES = 4_096;

    /** A value and the bytes this repository encoded it to. */
    private record Encoded<T>(byte[] bytes, T value) {}

    public Repository(KvStore kv, String prefix, Class<T> type) {
        this(kv, prefix, type, List.of(), new ConcurrentHashMap<>(), null);
    }

    private Repository(KvStore kv, String prefix, Class<T> type, List<Compare> guard,
                       ConcurrentHashMap<String, Versioned<T>> decoded, ConcurrentHashMap<String, Encoded<T>> written) {
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end with '/': " + prefix);
        this.kv = kv;
        this.prefix = prefix;
        this.type = type;
        this.guard = List.copyOf(guard);
        this.decoded = decoded;
        this.written = written;
    }

    /**
     * The same repository, remembering what it encodes for each write until the key is read back
     * (see the class comment): for records a process writes and then reads again.
     */
    public Repository<T> rememberingWrites() {
        return new Repository<>(kv, prefix, type, guard, decoded, written != null ? written : new ConcurrentHashMap<>());
    }

    /**
     * The same records through {@code other}, a client of the same store (a fenced one, say),
     * sharing what this repository decoded and remembers: a view made for each controller pass
     * would otherwise decode every record it reads again.
     */
    public Repository<T> over(KvStore other) {
        return new Repository<>(other, prefix, type, guard, decoded, written);
    }

    /**
     * The same repository whose every write also requires {@code condition} (e.g. "this server
     * still holds the leader key"): when it does not hold, the write fails as a lost race.
     */
    public Repository<T> guardedBy(Compare condition) {
        List<Compare> g = new ArrayList<>(guard);
        g.add(condition);
        return new Repository<>(kv, prefix, type, g, decoded, written);
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
        if (decoded.size() > kvs.size()) {
            // Forget deleted keys: what the whole prefix holds now is all that can be read again.
            Set<String> present = new HashSet<>(kvs.size() * 2);
            for (KeyValue e : kvs) present.add(e.key());
            decoded.keySet().retainAll(present);
        }
        return out;
    }

    public List<T> values() {
        return list().stream().map(Versioned::value).toList();
    }

    /** Stores {@code value} only if {@code id} does not exist yet. */
    public boolean create(String id, T value) {
        return createEncoded(id, value).isPresent();
    }

    /**
     * {@link #create}, returning the JSON it stored (the record's one wire shape, so an API can
     * answer with it instead of encoding the record again), or empty when {@code id} existed.
     */
    public Optional<byte[]> createEncoded(String id, T value) {
        byte[] json = encode(id, value);
        boolean created = kv.txn(with(Compare.absent(key(id))), List.of(new Op.Put(key(id), json)), List.of())
                .succeeded();
        return created ? Optional.of(json) : Optional.empty();
    }

    /** Replaces the value only if it was not modified since {@code expectedModRevision}. */
    public boolean update(String id, T value, long expectedModRevision) {
        return kv.txn(with(new Compare.ModRevision(key(id), expectedModRevision)),
                List.of(new Op.Put(key(id), encode(id, value))), List.of()).succeeded();
    }

    /** Write regardless of the current value (but never past the guard). Returns whether it was written. */
    public boolean put(String id, T value) {
        if (guard.isEmpty()) {
            kv.put(key(id), encode(id, value));
            return true;
        }
        return kv.txn(guard, List.of(new Op.Put(key(id), encode(id, value))), List.of()).succeeded();
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

    /** The record in {@code e}, decoded once per modification of its key. */
    public Versioned<T> decode(KeyValue e) {
        Versioned<T> known = decoded.get(e.key());
        if (known != null && known.modRevision() == e.modRevision()) return known;
        Versioned<T> fresh = new Versioned<>(decodeRemembered(e), e.modRevision());
        decoded.put(e.key(), fresh);
        return fresh;
    }

    /** The value's JSON, remembered for the key when this repository remembers writes. */
    private byte[] encode(String id, T value) {
        byte[] bytes = Json.bytes(value);
        if (written != null) {
            if (written.size() >= MAX_REMEMBERED_WRITES) written.clear();
            written.put(key(id), new Encoded<>(bytes, value));
        }
        return bytes;
    }

    /** The value in {@code e}: the one encoded to these very bytes when this repository wrote them, else parsed. */
    private T decodeRemembered(KeyValue e) {
        if (written != null) {
            Encoded<T> w = written.get(e.key());
            if (w != null && Arrays.equals(w.bytes(), e.value())) {
                written.remove(e.key(), w);
                return w.value();
            }
        }
        return Json.read(e.value(), type);
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
        return new Op.Put(key(id), encode(id, value));
    }

    /** A transaction operation that deletes {@code id}. */
    public Op deleteOp(String id) {
        return new Op.Delete(key(id));
    }

    public T decodeValue(byte[] data) {
        return Json.read(data, type);
    }
}
