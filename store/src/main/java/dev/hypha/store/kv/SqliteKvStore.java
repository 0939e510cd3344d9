package dev.hypha.store.kv;

import dev.hypha.spi.KvStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * A {@link KvStore} on one SQLite file in WAL mode: the embedded default, like kine under k3s.
 *
 * <p>Why SQLite: one file, no server to run, and each write is one SQLite transaction committed
 * with {@code synchronous=FULL}, so an acknowledged write survives a crash or power loss and a
 * process killed at any point never leaves half of a write behind.
 *
 * <p>Layout: table {@code kv} holds the current keys with their create and mod revision, version
 * and lease; table {@code history} holds every change (one row per key per revision) and feeds
 * {@link #watch}; table {@code lease} holds TTLs and deadlines; table {@code meta} holds the
 * revision, the compaction point and the last lease id. The history keeps the last
 * {@link Options#historyRevisions()} revisions; older ones are compacted away and a watch from
 * before them fails with {@link CompactedException}.
 *
 * <p>Threads: writes are serialised on one connection; reads use a second connection and do not
 * wait for writes (WAL readers see the last commit). Watch listeners run on one store-owned
 * thread, in revision order. A reaper thread expires leases by the injected clock (see
 * {@link Options#leaseReapInterval()}). One process at a time may open a file: a lock file
 * ({@code <file>.lock}) enforces it, since the in-memory revision must match the file.
 *
 * <p>After a reopen every lease gets its full TTL again (etcd does the same when a new leader takes
 * over), so a server restart does not expire every agent's lease at once.
 */
public final class SqliteKvStore implements KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteKvStore.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int TYPE_PUT = 0;
    private static final int TYPE_DELETE = 1;
    private static final int SCHEMA_VERSION = 1;

    /**
     * How a {@link SqliteKvStore} runs.
     *
     * @param clock the time leases are measured in
     * @param leaseReapInterval how often the reaper thread expires leases; {@link Duration#ZERO}
     *     starts no thread, and the owner calls {@link SqliteKvStore#expireLeases()} itself
     * @param historyRevisions how many of the latest revisions the history keeps for watches
     */
    public record Options(InstantSource clock, Duration leaseReapInterval, int historyRevisions) {
        public Options {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(leaseReapInterval, "leaseReapInterval");
            if (leaseReapInterval.isNegative()) {
                throw new IllegalArgumentException("leaseReapInterval must not be negative: " + leaseReapInterval);
            }
            if (historyRevisions < 1) {
                throw new IllegalArgumentException("historyRevisions must be at least 1: " + historyRevisions);
            }
        }

        /**
         * The system clock; leases checked every 250 ms (a lease outlives its TTL by at most that,
         * close to etcd's 500 ms check); the last 10,000 revisions of history (a watcher may fall
         * that far behind, a few MB of typed state).
         */
        public static Options defaults() {
            return new Options(InstantSource.system(), Duration.ofMillis(250), 10_000);
        }

        public Options withClock(InstantSource newClock) {
            return new Options(newClock, leaseReapInterval, historyRevisions);
        }

        public Options withLeaseReapInterval(Duration interval) {
            return new Options(clock, interval, historyRevisions);
        }

        public Options withHistoryRevisions(int revisions) {
            return new Options(clock, leaseReapInterval, revisions);
        }
    }

    private final Path file;
    private final Options options;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final Connection writer;
    private final Connection reader;
    /** The writer's prepared statements, used under {@link #writeLock}. */
    private final Statements writes;
    /** The reader's prepared statements, used under {@link #readLock}. */
    private final Statements reads;
    /** Serialises writes, compaction and watch registration; guards the fields below it. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Writes waiting for a commit: whoever holds {@link #writeLock} next runs them all (see {@link #write}). */
    private final ConcurrentLinkedQueue<QueuedWrite<?>> queued = new ConcurrentLinkedQueue<>();
    /** SQLite transactions that ran queued writes, for tests of group commit. */
    private long groupCommits;
    private volatile long revision;
    private volatile long compactRevision;
    private long lastLeaseId;
    private volatile boolean closed;
    /** Guards the reader connection. */
    private final ReentrantLock readLock = new ReentrantLock();
    private final List<SqliteWatch> watches = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher;
    private volatile Thread dispatcherThread;
    private final ScheduledExecutorService reaper;

    /** Opens (or creates) the store in {@code file} with {@link Options#defaults()}. */
    public SqliteKvStore(Path file) {
        this(file, Options.defaults());
    }

    /** Opens the store with leases measured by {@code clock} (the reaper thread still runs). */
    public SqliteKvStore(Path file, InstantSource clock) {
        this(file, Options.defaults().withClock(clock));
    }

    public SqliteKvStore(Path file, Options options) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.options = Objects.requireNonNull(options, "options");
        FileChannel channel = null;
        Connection write = null;
        Connection read = null;
        try {
            if (this.file.getParent() != null) {
                Files.createDirectories(this.file.getParent());
            }
            channel = FileChannel.open(Path.of(this.file + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.fileLock = lockExclusively(channel);
            this.lockChannel = channel;
            write = connect();
            createSchema(write);
            write.setAutoCommit(false);
            this.writer = write;
            this.writes = new Statements(write);
            loadMeta();
            renewLeasesAfterOpen();
            read = connect();
            this.reader = read;
            this.reads = new Statements(read);
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(read);
            closeQuietly(write);
            closeQuietly(channel);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new StoreUnavailableException("cannot open SQLite store " + this.file + ": " + e.getMessage(), e);
        }
        this.dispatcher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hypha-sqlite-watch");
            thread.setDaemon(true);
            dispatcherThread = thread;
            return thread;
        });
        if (options.leaseReapInterval().isZero()) {
            this.reaper = null;
        } else {
            this.reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "hypha-sqlite-lease-reaper");
                thread.setDaemon(true);
                return thread;
            });
            long periodMillis = Math.max(1, options.leaseReapInterval().toMillis());
            reaper.scheduleWithFixedDelay(this::reapQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    public Path file() {
        return file;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<KeyValue> get(String key) {
        byte[] keyBytes = KeySpace.keyBytes(key);
        return read("get " + key, () -> {
            PreparedStatement select = reads.get(
                    "SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key = ?");
            select.setBytes(1, keyBytes);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(keyValue(rows)) : Optional.<KeyValue>empty();
            }
        });
    }

    @Override
    public List<KeyValue> range(String prefix) {
        byte[] start = KeySpace.prefixBytes(prefix);
        Optional<byte[]> end = KeySpace.prefixEnd(start);
        return read("range " + prefix, () -> {
            String sql = "SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key >= ?"
                    + (end.isPresent() ? " AND key < ?" : "") + " ORDER BY key";
            PreparedStatement select = reads.get(sql);
            select.setBytes(1, start);
            if (end.isPresent()) {
                select.setBytes(2, end.get());
            }
            List<KeyValue> result = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    result.add(keyValue(rows));
                }
            }
            return result;
        });
    }

    @Override
    public long revision() {
        requireOpen();
        return revision;
    }

    /** The compaction point: the history holds every revision from here on. */
    public long compactRevision() {
        requireOpen();
        return compactRevision;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public long put(String key, byte[] value, long leaseId) {
        byte[] keyBytes = KeySpace.keyBytes(key);
        Objects.requireNonNull(value, "value");
        return write("put " + key, tx -> {
            putIn(tx, keyBytes, key, value, leaseId);
            return null;
        }).revision();
    }

    @Override
    public boolean delete(String key) {
        byte[] keyBytes = KeySpace.keyBytes(key);
        return write("delete " + key, tx -> deleteIn(tx, keyBytes, key)).value();
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        Objects.requireNonNull(compares, "compares");
        for (Compare compare : compares) {
            KeySpace.keyBytes(Objects.requireNonNull(compare, "a compare is null").key());
        }
        KeySpace.requireValidBranch(onSuccess, "onSuccess");
        KeySpace.requireValidBranch(onFailure, "onFailure");
        Written<Boolean> written = write("txn", tx -> {
            boolean holds = true;
            for (Compare compare : compares) {
                if (!holds(compare)) {
                    holds = false;
                    break;
                }
            }
            for (Op op : holds ? onSuccess : onFailure) {
                switch (op) {
                    case Op.Put put -> putIn(tx, KeySpace.keyBytes(put.key()), put.key(), put.value(), put.leaseId());
                    case Op.Delete delete -> deleteIn(tx, KeySpace.keyBytes(delete.key()), delete.key());
                }
            }
            return holds;
        });
        return new TxnResult(written.value(), written.revision());
    }

    /**
     * Discards the history before {@code revisionToKeep}: watches from earlier revisions fail with
     * {@link CompactedException}. The history is also compacted on its own to the last
     * {@link Options#historyRevisions()} revisions.
     *
     * @throws CompactedException when that revision is already compacted
     * @throws IllegalArgumentException when the revision is in the future
     */
    public void compact(long revisionToKeep) {
        writeLock.lock();
        try {
            requireOpen();
            if (revisionToKeep <= compactRevision) {
                throw new CompactedException(compactRevision);
            }
            if (revisionToKeep > revision) {
                throw new IllegalArgumentException(
                        "cannot compact to revision " + revisionToKeep + ": the current revision is " + revision);
            }
            try {
                compactIn(revisionToKeep);
                writer.commit();
            } catch (SQLException e) {
                rollbackQuietly();
                throw unavailable("compact " + revisionToKeep, e);
            }
            compactRevision = revisionToKeep;
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- leases

    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease TTL must be at least 1 ms: " + ttl);
        }
        return write("grant lease", tx -> {
            // Taken now, not after the commit: another grant may share this commit. A grant rolled
            // back leaves its id unused, which is harmless.
            long id = ++lastLeaseId;
            PreparedStatement insert = writes.get("INSERT INTO lease(id, ttl_ms, expires_at_ms) VALUES (?, ?, ?)");
            insert.setLong(1, id);
            insert.setLong(2, ttl.toMillis());
            insert.setLong(3, options.clock().millis() + ttl.toMillis());
            insert.executeUpdate();
            setMeta("last_lease_id", id);
            return id;
        }).value();
    }

    @Override
    public boolean keepAlive(long leaseId) {
        return write("keep lease " + leaseId + " alive", tx -> {
            Optional<long[]> lease = lease(leaseId);
            if (lease.isEmpty()) {
                return false;
            }
            long now = options.clock().millis();
            long ttlMillis = lease.get()[0];
            long expiresAt = lease.get()[1];
            if (expiresAt <= now) {
                // Expired but not yet reaped: it cannot come back, so revoke it now.
                revokeIn(tx, leaseId);
                return false;
            }
            PreparedStatement update = writes.get("UPDATE lease SET expires_at_ms = ? WHERE id = ?");
            update.setLong(1, now + ttlMillis);
            update.setLong(2, leaseId);
            update.executeUpdate();
            return true;
        }).value();
    }

    @Override
    public void revokeLease(long leaseId) {
        write("revoke lease " + leaseId, tx -> {
            revokeIn(tx, leaseId);
            return null;
        });
    }

    /**
     * Revokes every lease whose deadline has passed by the clock, each in its own revision, and
     * returns how many. The reaper thread calls this; with a zero reap interval the owner does.
     */
    public int expireLeases() {
        writeLock.lock();
        try {
            requireOpen();
            List<Long> expired = new ArrayList<>();
            try (PreparedStatement select = writer.prepareStatement("SELECT id FROM lease WHERE expires_at_ms <= ? ORDER BY id")) {
                select.setLong(1, options.clock().millis());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        expired.add(rows.getLong(1));
                    }
                }
                writer.commit();
            } catch (SQLException e) {
                rollbackQuietly();
                throw unavailable("find expired leases", e);
            }
            for (long leaseId : expired) {
                write("expire lease " + leaseId, tx -> {
                    revokeIn(tx, leaseId);
                    return null;
                });
            }
            return expired.size();
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- watches

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener) {
        return watch(prefix, afterRevision, listener,
                error -> LOG.warn("watch of '{}' ended because its listener failed", prefix, error));
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<RuntimeException> onCancelled) {
        byte[] prefixBytes = KeySpace.prefixBytes(prefix);
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(onCancelled, "onCancelled");
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        }
        // Under the write lock no write can slip between the history read and the registration,
        // so replay and live events join without a gap or a duplicate.
        writeLock.lock();
        try {
            requireOpen();
            if (afterRevision + 1 < compactRevision) {
                throw new CompactedException(compactRevision);
            }
            List<WatchEvent> replay = afterRevision < revision ? history(prefixBytes, afterRevision) : List.of();
            SqliteWatch watch = new SqliteWatch(prefixBytes, listener, onCancelled, afterRevision);
            watches.add(watch);
            long replayedUpTo = revision;
            dispatcher.execute(() -> watch.replay(replay, replayedUpTo));
            return watch;
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        if (reaper != null) {
            reaper.shutdownNow();
            awaitQuietly(reaper);
        }
        for (SqliteWatch watch : watches) {
            watch.close();
        }
        dispatcher.shutdown();
        if (Thread.currentThread() != dispatcherThread) {
            awaitQuietly(dispatcher);
        }
        writeLock.lock();
        readLock.lock();
        try {
            rollbackQuietly();
            reads.clear();
            closeQuietly(writer);
            closeQuietly(reader);
            try {
                fileLock.release();
            } catch (IOException e) {
                LOG.warn("cannot release lock of {}", file, e);
            }
            closeQuietly(lockChannel);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- write machinery

    /** The changes of one write transaction: all of them share one revision. */
    private static final class WriteTx {
        final long revision;
        final List<WatchEvent> events = new ArrayList<>();
        int nextSub;

        WriteTx(long revision) {
            this.revision = revision;
        }

        boolean changed() {
            return !events.isEmpty();
        }
    }

    /**
     * A write waiting for the commit that runs it, and then its outcome. Its fields are written
     * by the thread that runs the commit and read by the caller, both under {@link #writeLock}.
     */
    private static final class QueuedWrite<T> {
        final String what;
        final TxBody<T> body;
        WriteTx tx;
        T value;
        long revisionAfter;
        Throwable failure;
        boolean done;

        QueuedWrite(String what, TxBody<T> body) {
            this.what = what;
            this.body = body;
        }

        void fail(Throwable t) {
            failure = t;
            done = true;
        }
    }

    private record Written<T>(T value, long revision) {}

    @FunctionalInterface
    private interface TxBody<T> {
        T apply(WriteTx tx) throws SQLException;
    }

    @FunctionalInterface
    private interface ReadBody<T> {
        T apply() throws SQLException;
    }

    /**
     * Runs {@code body} as one write with its own revision, durable when this returns; publishes
     * its events after the commit.
     *
     * <p>Group commit: every write is synced to disk, and a sync takes milliseconds, so writes
     * from several threads that queue up while one commit is being synced are run together in
     * the next SQLite transaction, each inside its own savepoint and with its own revision, and
     * share its one sync. A write that fails is rolled back to its savepoint alone; if the commit
     * itself fails, every write in it fails. Nothing is acknowledged before the commit is synced,
     * so a crash loses only writes whose callers were never told they succeeded.
     */
    private <T> Written<T> write(String what, TxBody<T> body) {
        QueuedWrite<T> mine = new QueuedWrite<>(what, body);
        queued.add(mine);
        writeLock.lock();
        try {
            if (!mine.done) {
                commitQueued();
            }
            if (!mine.done) {
                throw new IllegalStateException("SQLite store " + file + ": " + what + " was queued but never run");
            }
        } finally {
            writeLock.unlock();
        }
        switch (mine.failure) {
            case null -> {
                return new Written<>(mine.value, mine.revisionAfter);
            }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(mine.failure);
        }
    }

    /** Runs every queued write in one SQLite transaction (see {@link #write}); called under {@link #writeLock}. */
    private void commitQueued() {
        List<QueuedWrite<?>> batch = new ArrayList<>();
        for (QueuedWrite<?> next = queued.poll(); next != null; next = queued.poll()) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        if (closed) {
            IllegalStateException isClosed = new IllegalStateException("SQLite store " + file + " is closed");
            batch.forEach(w -> w.fail(isClosed));
            return;
        }
        boolean savepoints = batch.size() > 1;
        long last = revision;
        List<QueuedWrite<?>> applied = new ArrayList<>(batch.size());
        for (QueuedWrite<?> w : batch) {
            WriteTx tx = new WriteTx(last + 1);
            try {
                if (savepoints) {
                    writes.get("SAVEPOINT queued_write").executeUpdate();
                }
                apply(w, tx);
                if (savepoints) {
                    writes.get("RELEASE queued_write").executeUpdate();
                }
            } catch (SQLException | RuntimeException | Error e) {
                Throwable failure = e instanceof SQLException sql ? unavailable(w.what, sql) : e;
                if (!savepoints || !rolledBackToSavepoint()) {
                    // Without a savepoint to return to, the whole transaction goes, with every write in it.
                    rollbackQuietly();
                    for (QueuedWrite<?> other : batch) {
                        if (!other.done) {
                            other.fail(other == w ? failure : unavailable(other.what, e));
                        }
                    }
                    return;
                }
                w.fail(failure);
                continue;
            }
            if (tx.changed()) {
                last = tx.revision;
            }
            w.tx = tx;
            w.revisionAfter = last;
            applied.add(w);
        }
        long keepFrom = 0;
        try {
            if (last > revision) {
                setMeta("revision", last);
                keepFrom = autoCompactionPoint(last);
                if (keepFrom > 0) {
                    compactIn(keepFrom);
                }
            }
            writer.commit();
            groupCommits++;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            applied.forEach(w -> w.fail(e instanceof SQLException sql ? unavailable(w.what, sql) : e));
            return;
        }
        if (last > revision) {
            revision = last;
            if (keepFrom > 0) {
                compactRevision = keepFrom;
            }
        }
        applied.forEach(w -> w.done = true);
        for (QueuedWrite<?> w : applied) {
            if (w.tx.changed()) {
                publish(w.tx.revision, List.copyOf(w.tx.events));
            }
        }
    }

    private static <T> void apply(QueuedWrite<T> w, WriteTx tx) throws SQLException {
        w.value = w.body.apply(tx);
    }

    /** Undoes the current write of a group commit; false when even that failed. */
    private boolean rolledBackToSavepoint() {
        try {
            writes.get("ROLLBACK TO queued_write").executeUpdate();
            writes.get("RELEASE queued_write").executeUpdate();
            return true;
        } catch (SQLException e) {
            LOG.warn("rolling back one write of a group commit on {} failed", file, e);
            return false;
        }
    }

    private StoreUnavailableException unavailable(String what, Throwable cause) {
        return new StoreUnavailableException("SQLite store " + file + ": " + what + " failed: " + cause.getMessage(),
                cause);
    }

    /**
     * Runs {@code whileHeld} holding the write lock, so writes from other threads queue up and the
     * next of them commits them together: how tests make a group commit happen.
     */
    void holdingWrites(Runnable whileHeld) {
        writeLock.lock();
        try {
            whileHeld.run();
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes queued and not yet run. */
    int queuedWrites() {
        return queued.size();
    }

    /** SQLite transactions committed for queued writes so far. */
    long groupCommits() {
        writeLock.lock();
        try {
            return groupCommits;
        } finally {
            writeLock.unlock();
        }
    }

    /** Compacts in batches of a tenth of the history, so most writes do not pay for it. */
    private long autoCompactionPoint(long newRevision) {
        long keepFrom = newRevision - options.historyRevisions() + 1;
        long batch = Math.max(1, options.historyRevisions() / 10);
        return keepFrom - compactRevision >= batch ? keepFrom : 0;
    }

    private void compactIn(long keepFrom) throws SQLException {
        try (PreparedStatement delete = writer.prepareStatement("DELETE FROM history WHERE rev < ?")) {
            delete.setLong(1, keepFrom);
            delete.executeUpdate();
        }
        setMeta("compact_revision", keepFrom);
    }

    private void putIn(WriteTx tx, byte[] key, String keyText, byte[] value, long leaseId) throws SQLException {
        if (leaseId != 0) {
            Optional<long[]> lease = lease(leaseId);
            if (lease.isEmpty() || lease.get()[1] <= options.clock().millis()) {
                throw new LeaseNotFoundException(leaseId);
            }
        }
        long createRevision = tx.revision;
        long version = 1;
        PreparedStatement select = writes.get("SELECT create_rev, version FROM kv WHERE key = ?");
        select.setBytes(1, key);
        try (ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
                createRevision = rows.getLong(1);
                version = rows.getLong(2) + 1;
            }
        }
        byte[] stored = value.clone();
        PreparedStatement upsert = writes.get(
                "INSERT OR REPLACE INTO kv(key, value, create_rev, mod_rev, version, lease) VALUES (?, ?, ?, ?, ?, ?)");
        upsert.setBytes(1, key);
        upsert.setBytes(2, stored);
        upsert.setLong(3, createRevision);
        upsert.setLong(4, tx.revision);
        upsert.setLong(5, version);
        upsert.setLong(6, leaseId);
        upsert.executeUpdate();
        KeyValue kv = new KeyValue(keyText, stored, createRevision, tx.revision, version, leaseId);
        recordHistory(tx, TYPE_PUT, key, kv);
        tx.events.add(new WatchEvent(WatchEvent.Type.PUT, kv, tx.revision));
    }

    private boolean deleteIn(WriteTx tx, byte[] key, String keyText) throws SQLException {
        PreparedStatement delete = writes.get("DELETE FROM kv WHERE key = ?");
        delete.setBytes(1, key);
        if (delete.executeUpdate() == 0) {
            return false;
        }
        KeyValue tombstone = new KeyValue(keyText, EMPTY, 0, tx.revision, 0, 0);
        recordHistory(tx, TYPE_DELETE, key, tombstone);
        tx.events.add(new WatchEvent(WatchEvent.Type.DELETE, tombstone, tx.revision));
        return true;
    }

    private void revokeIn(WriteTx tx, long leaseId) throws SQLException {
        List<byte[]> keys = new ArrayList<>();
        try (PreparedStatement select = writer.prepareStatement("SELECT key FROM kv WHERE lease = ? ORDER BY key")) {
            select.setLong(1, leaseId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(bytes(rows, 1));
                }
            }
        }
        for (byte[] key : keys) {
            deleteIn(tx, key, KeySpace.text(key));
        }
        try (PreparedStatement delete = writer.prepareStatement("DELETE FROM lease WHERE id = ?")) {
            delete.setLong(1, leaseId);
            delete.executeUpdate();
        }
    }

    private void recordHistory(WriteTx tx, int type, byte[] key, KeyValue kv) throws SQLException {
        PreparedStatement insert = writes.get(
                "INSERT INTO history(rev, sub, type, key, value, create_rev, version, lease) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setLong(1, tx.revision);
        insert.setInt(2, tx.nextSub++);
        insert.setInt(3, type);
        insert.setBytes(4, key);
        insert.setBytes(5, kv.value());
        insert.setLong(6, kv.createRevision());
        insert.setLong(7, kv.version());
        insert.setLong(8, kv.lease());
        insert.executeUpdate();
    }

    private boolean holds(Compare compare) throws SQLException {
        byte[] key = KeySpace.keyBytes(compare.key());
        PreparedStatement select = writes.get("SELECT value, mod_rev FROM kv WHERE key = ?");
        select.setBytes(1, key);
        try (ResultSet rows = select.executeQuery()) {
            boolean exists = rows.next();
            return switch (compare) {
                case Compare.ModRevision(String ignored, long expected) -> (exists ? rows.getLong(2) : 0) == expected;
                case Compare.ValueEquals(String ignored, byte[] expected) ->
                        exists && Arrays.equals(bytes(rows, 1), Objects.requireNonNull(expected, "compared value"));
            };
        }
    }

    /** The lease's {ttl, deadline} in milliseconds, if it exists. */
    private Optional<long[]> lease(long leaseId) throws SQLException {
        PreparedStatement select = writes.get("SELECT ttl_ms, expires_at_ms FROM lease WHERE id = ?");
        select.setLong(1, leaseId);
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(new long[] {rows.getLong(1), rows.getLong(2)}) : Optional.empty();
        }
    }

    private void setMeta(String name, long value) throws SQLException {
        PreparedStatement upsert = writes.get("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)");
        upsert.setString(1, name);
        upsert.setLong(2, value);
        upsert.executeUpdate();
    }

    // ---------------------------------------------------------------- read machinery

    private <T> T read(String what, ReadBody<T> body) {
        readLock.lock();
        try {
            requireOpen();
            return body.apply();
        } catch (SQLException e) {
            reads.clear(); // a statement that failed half-way is not used again
            throw unavailable(what, e);
        } finally {
            readLock.unlock();
        }
    }

    /** Every change under the prefix after {@code afterRevision}, in revision order. */
    private List<WatchEvent> history(byte[] prefix, long afterRevision) {
        Optional<byte[]> end = KeySpace.prefixEnd(prefix);
        return read("read history", () -> {
            String sql = "SELECT rev, type, key, value, create_rev, version, lease FROM history WHERE rev > ? AND key >= ?"
                    + (end.isPresent() ? " AND key < ?" : "") + " ORDER BY rev, sub";
            try (PreparedStatement select = reader.prepareStatement(sql)) {
                select.setLong(1, afterRevision);
                select.setBytes(2, prefix);
                if (end.isPresent()) {
                    select.setBytes(3, end.get());
                }
                List<WatchEvent> events = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long rev = rows.getLong(1);
                        WatchEvent.Type type = rows.getInt(2) == TYPE_DELETE ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
                        KeyValue kv = new KeyValue(KeySpace.text(bytes(rows, 3)), bytes(rows, 4),
                                rows.getLong(5), rev, rows.getLong(6), rows.getLong(7));
                        events.add(new WatchEvent(type, kv, rev));
                    }
                }
                return events;
            }
        });
    }

    private static KeyValue keyValue(ResultSet rows) throws SQLException {
        return new KeyValue(KeySpace.text(bytes(rows, 1)), bytes(rows, 2),
                rows.getLong(3), rows.getLong(4), rows.getLong(5), rows.getLong(6));
    }

    /** SQLite hands back a zero-length blob as null. */
    private static byte[] bytes(ResultSet rows, int column) throws SQLException {
        byte[] value = rows.getBytes(column);
        return value == null ? EMPTY : value;
    }

    // ---------------------------------------------------------------- watch delivery

    private void publish(long eventsRevision, List<WatchEvent> events) {
        if (watches.isEmpty()) {
            return;
        }
        dispatcher.execute(() -> {
            for (SqliteWatch watch : watches) {
                watch.offer(eventsRevision, events);
            }
        });
    }

    /** One watch; its fields other than {@code closed} are touched only on the dispatcher thread. */
    private final class SqliteWatch implements Watch {
        private final byte[] prefix;
        private final Consumer<WatchEvent> listener;
        private final Consumer<RuntimeException> onCancelled;
        private long deliveredUpTo;
        private boolean replayed;
        private volatile boolean closed;

        SqliteWatch(byte[] prefix, Consumer<WatchEvent> listener, Consumer<RuntimeException> onCancelled, long afterRevision) {
            this.prefix = prefix;
            this.listener = listener;
            this.onCancelled = onCancelled;
            this.deliveredUpTo = afterRevision;
        }

        void replay(List<WatchEvent> events, long upTo) {
            for (int k = 0; k < events.size(); k++) {
                deliver(events.get(k));
                // The history is in revision order: a revision is whole when the next event is of another.
                if (k == events.size() - 1 || events.get(k + 1).revision() != events.get(k).revision()) {
                    revisionDelivered(events.get(k).revision());
                }
            }
            deliveredUpTo = Math.max(deliveredUpTo, upTo);
            replayed = true;
        }

        /** Live events of one revision; ones the replay already covered are skipped. */
        void offer(long eventsRevision, List<WatchEvent> events) {
            if (!replayed || eventsRevision <= deliveredUpTo) {
                return;
            }
            boolean any = false;
            for (WatchEvent event : events) {
                if (KeySpace.hasPrefix(KeySpace.prefixBytes(event.kv().key()), prefix)) {
                    deliver(event);
                    any = true;
                }
            }
            deliveredUpTo = eventsRevision;
            if (any) {
                revisionDelivered(eventsRevision);
            }
        }

        private void revisionDelivered(long revision) {
            if (closed || !(listener instanceof RevisionListener revisions)) {
                return;
            }
            try {
                revisions.revisionDelivered(revision);
            } catch (RuntimeException e) {
                endBy(e);
            }
        }

        private void deliver(WatchEvent event) {
            if (closed) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                endBy(e);
            }
        }

        /** A listener that throws ends its watch, and the exception goes to onCancelled. */
        private void endBy(RuntimeException e) {
            close();
            try {
                onCancelled.accept(e);
            } catch (RuntimeException reportFailure) {
                LOG.warn("onCancelled of a watch failed", reportFailure);
            }
        }

        @Override
        public void close() {
            closed = true;
            watches.remove(this);
        }
    }

    // ---------------------------------------------------------------- opening and helpers

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        // Nothing here asks for generated keys; the driver would otherwise match every INSERT
        // against a pattern and run "SELECT last_insert_rowid()" after it, two per key written.
        config.setGetGeneratedKeys(false);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private static FileLock lockExclusively(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("SQLite store is already open in another process (lock file held)");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("SQLite store is already open in this process; close it first", e);
        }
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS kv (
                      key BLOB PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL,
                      mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL
                    ) WITHOUT ROWID""");
            statement.executeUpdate("CREATE INDEX IF NOT EXISTS kv_by_lease ON kv(lease) WHERE lease <> 0");
            statement.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS history (
                      rev INTEGER NOT NULL, sub INTEGER NOT NULL, type INTEGER NOT NULL, key BLOB NOT NULL,
                      value BLOB NOT NULL, create_rev INTEGER NOT NULL, version INTEGER NOT NULL,
                      lease INTEGER NOT NULL, PRIMARY KEY (rev, sub)
                    ) WITHOUT ROWID""");
            statement.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS lease (
                      id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL
                    )""");
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
            statement.executeUpdate("INSERT OR IGNORE INTO meta(name, value) VALUES ('schema_version', " + SCHEMA_VERSION + ")");
        }
    }

    private void loadMeta() throws SQLException {
        long schema = meta("schema_version");
        if (schema != SCHEMA_VERSION) {
            throw new IllegalStateException("SQLite store " + file + " has schema version " + schema
                    + "; this build reads version " + SCHEMA_VERSION);
        }
        revision = meta("revision");
        compactRevision = meta("compact_revision");
        lastLeaseId = meta("last_lease_id");
        writer.commit();
    }

    private long meta(String name) throws SQLException {
        try (PreparedStatement select = writer.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    private void renewLeasesAfterOpen() throws SQLException {
        try (PreparedStatement renew = writer.prepareStatement("UPDATE lease SET expires_at_ms = ? + ttl_ms")) {
            renew.setLong(1, options.clock().millis());
            renew.executeUpdate();
        }
        writer.commit();
    }

    private void reapQuietly() {
        try {
            expireLeases();
        } catch (IllegalStateException closing) {
            // The store closed between two runs.
        } catch (RuntimeException e) {
            LOG.warn("expiring leases of {} failed; will retry", file, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("SQLite store " + file + " is closed");
        }
    }

    /** Rolls the writer's transaction back, and drops its statements: one may have failed half-way. */
    private void rollbackQuietly() {
        writes.clear();
        try {
            if (writer != null && !writer.isClosed()) {
                writer.rollback();
            }
        } catch (SQLException e) {
            LOG.warn("rollback on {} failed", file, e);
        }
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("a store thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The prepared statements of one connection, kept for reuse: preparing the SQL again for every
     * read and every row written cost about as much CPU as running it. Used only under the
     * connection's lock; each use binds every parameter again.
     */
    private static final class Statements {
        private final Connection connection;
        private final Map<String, PreparedStatement> bySql = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement statement = bySql.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                bySql.put(sql, statement);
            }
            return statement;
        }

        void clear() {
            for (PreparedStatement statement : bySql.values()) {
                closeQuietly(statement);
            }
            bySql.clear();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", closeable, e);
        }
    }
}
