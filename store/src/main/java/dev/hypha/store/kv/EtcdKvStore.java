package dev.hypha.store.kv;

import dev.hypha.spi.KvStore;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KvStore} on an etcd v3 cluster, through jetcd: the backend for running several servers
 * against one highly available state.
 *
 * <p>The mapping is one-to-one: revisions are etcd's revisions, {@link #txn} is an etcd transaction
 * comparing mod revisions and values, leases are etcd leases, and {@link #watch} is an etcd prefix
 * watch from a revision. Watches survive lost connections and etcd restarts: each resumes from the
 * revision after the last event it received, so no event is lost or repeated; a watch that fell
 * behind a compaction meanwhile is cancelled with {@link CompactedException}.
 *
 * <p>Each call waits at most the request timeout and then fails with
 * {@link StoreUnavailableException} (the write may or may not have been applied). Listeners run on
 * one store-owned thread, never on gRPC's threads.
 */
public final class EtcdKvStore implements KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdKvStore.class);
    /** Long enough to ride out an etcd leader election (about a second), short enough to report a dead cluster. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** etcd's range end "\0" with key "\0" means every key. */
    private static final ByteSequence ALL_KEYS = ByteSequence.from(new byte[] {0});
    /** A single key no one writes: reading it is the cheapest request that returns a revision header. */
    private static final ByteSequence PROBE_KEY = ByteSequence.from(new byte[] {0});
    /** Typed state ranges can exceed gRPC's default 4 MiB message limit. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final long FIRST_RESUME_DELAY_MILLIS = 100;
    private static final long MAX_RESUME_DELAY_MILLIS = 2_000;

    private final Client client;
    private final String url;
    private final Duration requestTimeout;
    private final List<EtcdWatch> watches = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher;
    private volatile Thread dispatcherThread;
    private final ScheduledExecutorService resumer;
    private volatile boolean closed;

    private EtcdKvStore(Client client, String url, Duration requestTimeout) {
        this.client = client;
        this.url = url;
        this.requestTimeout = requestTimeout;
        this.dispatcher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hypha-etcd-watch");
            thread.setDaemon(true);
            dispatcherThread = thread;
            return thread;
        });
        this.resumer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hypha-etcd-watch-resume");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects to the cluster at {@code url}, "etcd://host:port[,host:port...]", with the default timeout. */
    public static EtcdKvStore connect(String url) {
        return connect(url, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Connects to the cluster at {@code url}, "etcd://host:port[,host:port...]". The client connects
     * lazily, so this succeeds even while etcd is down; calls then fail after {@code requestTimeout}.
     */
    public static EtcdKvStore connect(String url, Duration requestTimeout) {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
        List<URI> endpoints = endpoints(url);
        Client client = Client.builder()
                .endpoints(endpoints.toArray(URI[]::new))
                .connectTimeout(Duration.ofSeconds(5))
                .maxInboundMessageSize(MAX_RESPONSE_BYTES)
                .build();
        return new EtcdKvStore(client, url, requestTimeout);
    }

    /** Parses "etcd://host:port,host:port" into gRPC endpoints (plain http, as etcd listens by default). */
    static List<URI> endpoints(String url) {
        Objects.requireNonNull(url, "url");
        String scheme = "etcd://";
        String usage = "an etcd URL looks like etcd://host:port[,host:port...], not '" + url + "'";
        if (!url.startsWith(scheme) || url.length() == scheme.length()) {
            throw new IllegalArgumentException(usage);
        }
        List<URI> endpoints = new ArrayList<>();
        for (String hostPort : url.substring(scheme.length()).split(",", -1)) {
            URI endpoint;
            try {
                endpoint = URI.create("http://" + hostPort.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(usage + ": bad endpoint '" + hostPort + "'", e);
            }
            boolean hostAndPortOnly = endpoint.getHost() != null && endpoint.getPort() > 0
                    && endpoint.getRawPath().isEmpty() && endpoint.getRawQuery() == null && endpoint.getRawUserInfo() == null;
            if (!hostAndPortOnly) {
                throw new IllegalArgumentException(usage + ": bad endpoint '" + hostPort + "'");
            }
            endpoints.add(endpoint);
        }
        return endpoints;
    }

    public String url() {
        return url;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<KeyValue> get(String key) {
        ByteSequence keyBytes = ByteSequence.from(KeySpace.keyBytes(key));
        GetResponse response = await("get " + key, () -> client.getKVClient().get(keyBytes));
        return response.getKvs().stream().findFirst().map(EtcdKvStore::keyValue);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        PrefixRange range = PrefixRange.of(prefix);
        GetResponse response = await("range " + prefix,
                () -> client.getKVClient().get(range.key(), GetOption.builder().withRange(range.end()).build()));
        return response.getKvs().stream().map(EtcdKvStore::keyValue).toList();
    }

    @Override
    public long revision() {
        return await("read the revision",
                () -> client.getKVClient().get(PROBE_KEY, GetOption.builder().withCountOnly(true).build()))
                .getHeader().getRevision();
    }

    // ---------------------------------------------------------------- writes

    @Override
    public long put(String key, byte[] value, long leaseId) {
        ByteSequence keyBytes = ByteSequence.from(KeySpace.keyBytes(key));
        ByteSequence valueBytes = ByteSequence.from(Objects.requireNonNull(value, "value"));
        try {
            return await("put " + key, () -> client.getKVClient().put(keyBytes, valueBytes, putOption(leaseId)))
                    .getHeader().getRevision();
        } catch (LeaseMissing e) {
            throw new LeaseNotFoundException(leaseId);
        }
    }

    @Override
    public boolean delete(String key) {
        ByteSequence keyBytes = ByteSequence.from(KeySpace.keyBytes(key));
        return await("delete " + key, () -> client.getKVClient().delete(keyBytes)).getDeleted() > 0;
    }

    @Override
    public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
        Objects.requireNonNull(compares, "compares");
        KeySpace.requireValidBranch(onSuccess, "onSuccess");
        KeySpace.requireValidBranch(onFailure, "onFailure");
        Cmp[] conditions = compares.stream().map(EtcdKvStore::cmp).toArray(Cmp[]::new);
        io.etcd.jetcd.op.Op[] then = onSuccess.stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new);
        io.etcd.jetcd.op.Op[] otherwise = onFailure.stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new);
        try {
            TxnResponse response = await("txn",
                    () -> client.getKVClient().txn().If(conditions).Then(then).Else(otherwise).commit());
            return new TxnResult(response.isSucceeded(), response.getHeader().getRevision());
        } catch (LeaseMissing e) {
            throw new LeaseNotFoundException(missingLease(onSuccess, onFailure));
        }
    }

    /**
     * Discards the history before {@code revisionToKeep} (physically, waiting for etcd to finish).
     *
     * @throws CompactedException when that revision is already compacted
     * @throws IllegalArgumentException when the revision is in the future
     */
    public void compact(long revisionToKeep) {
        try {
            await("compact " + revisionToKeep, () -> client.getKVClient()
                    .compact(revisionToKeep, CompactOption.builder().withCompactPhysical(true).build()));
        } catch (RevisionOutOfRange e) {
            if (e.compacted) {
                throw new CompactedException(compactRevisionBefore(Math.max(1, revisionToKeep - 1)));
            }
            throw new IllegalArgumentException("cannot compact to revision " + revisionToKeep + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- leases

    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease TTL must be at least 1 ms: " + ttl);
        }
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        return await("grant a lease", () -> client.getLeaseClient().grant(seconds)).getID();
    }

    @Override
    public boolean keepAlive(long leaseId) {
        try {
            await("keep lease " + leaseId + " alive", () -> client.getLeaseClient().keepAliveOnce(leaseId));
            return true;
        } catch (LeaseMissing e) {
            return false;
        }
    }

    @Override
    public void revokeLease(long leaseId) {
        try {
            await("revoke lease " + leaseId, () -> client.getLeaseClient().revoke(leaseId));
        } catch (LeaseMissing e) {
            // Already expired or revoked: its keys are gone, which is what the caller wants.
        }
    }

    // ---------------------------------------------------------------- watches

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener) {
        return watch(prefix, afterRevision, listener,
                error -> LOG.warn("watch of '{}' on {} ended", prefix, url, error));
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<RuntimeException> onCancelled) {
        PrefixRange range = PrefixRange.of(prefix);
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(onCancelled, "onCancelled");
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        }
        requireNotCompacted(afterRevision + 1);
        EtcdWatch watch = new EtcdWatch(range, listener, onCancelled, afterRevision);
        watches.add(watch);
        watch.open();
        return watch;
    }

    /**
     * Throws {@link CompactedException} when the history from {@code startRevision} is gone. A
     * watch would say so too, but only later and on another thread; a read at that revision says
     * so now.
     */
    private void requireNotCompacted(long startRevision) {
        try {
            await("check revision " + startRevision, () -> client.getKVClient()
                    .get(PROBE_KEY, GetOption.builder().withRevision(startRevision).withCountOnly(true).build()));
        } catch (RevisionOutOfRange e) {
            if (e.compacted) {
                throw new CompactedException(compactRevisionBefore(startRevision));
            }
            // A future revision: the watch simply waits for it, as etcd's does.
        }
    }

    /** etcd reports the compaction point only to a watch: open one from a compacted revision to learn it. */
    private long compactRevisionBefore(long compactedRevision) {
        CompletableFuture<Long> compactRevision = new CompletableFuture<>();
        io.etcd.jetcd.Watch.Watcher probe = client.getWatchClient().watch(PROBE_KEY,
                WatchOption.builder().withRevision(compactedRevision).build(),
                new io.etcd.jetcd.Watch.Listener() {
                    @Override
                    public void onNext(WatchResponse response) {}

                    @Override
                    public void onError(Throwable error) {
                        if (error instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
                            compactRevision.complete(compacted.getCompactedRevision());
                        }
                    }

                    @Override
                    public void onCompleted() {}
                });
        try {
            return await("learn the compaction revision", () -> compactRevision);
        } finally {
            probe.close();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (EtcdWatch watch : watches) {
            watch.close();
        }
        resumer.shutdownNow();
        client.close();
        dispatcher.shutdown();
        if (Thread.currentThread() != dispatcherThread) {
            try {
                if (!dispatcher.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("etcd watch thread did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- request machinery

    /** An etcd request: a supplier, so that a closed store fails before touching the client. */
    @FunctionalInterface
    private interface Request<T> {
        CompletableFuture<T> send();
    }

    /** etcd said the lease does not exist; callers turn it into their own answer. */
    private static final class LeaseMissing extends StoreUnavailableException {
        LeaseMissing(String message) {
            super(message, null);
        }
    }

    /** etcd said a requested revision is compacted or in the future. */
    private static final class RevisionOutOfRange extends StoreUnavailableException {
        final boolean compacted;

        RevisionOutOfRange(String message) {
            super(message, null);
            this.compacted = message.contains("compacted");
        }
    }

    private <T> T await(String what, Request<T> request) {
        requireOpen();
        CompletableFuture<T> future = request.send();
        try {
            return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException("etcd at " + url + " did not answer '" + what + "' within " + requestTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StoreUnavailableException("interrupted while waiting for etcd at " + url + " to answer '" + what + "'", e);
        } catch (ExecutionException e) {
            throw translate(what, e.getCause());
        }
    }

    private RuntimeException translate(String what, Throwable cause) {
        if (closed) {
            return new IllegalStateException("etcd store " + url + " is closed");
        }
        String message = String.valueOf(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("requested lease not found")) {
            return new LeaseMissing(message);
        }
        if (lower.contains("required revision has been compacted") || lower.contains("required revision is a future revision")) {
            return new RevisionOutOfRange(message);
        }
        if (cause instanceof EtcdException etcd && etcd.getErrorCode() == io.etcd.jetcd.common.exception.ErrorCode.INVALID_ARGUMENT) {
            return new IllegalArgumentException("etcd rejected '" + what + "': " + message, cause);
        }
        return new StoreUnavailableException("etcd at " + url + " failed '" + what + "': " + message, cause);
    }

    private long missingLease(List<Op> onSuccess, List<Op> onFailure) {
        Set<Long> leases = new LinkedHashSet<>();
        for (List<Op> branch : List.of(onSuccess, onFailure)) {
            for (Op op : branch) {
                if (op instanceof Op.Put put && put.leaseId() != 0) {
                    leases.add(put.leaseId());
                }
            }
        }
        for (long lease : leases) {
            long ttl = await("look up lease " + lease, () -> client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)).getTTL();
            if (ttl <= 0) {
                return lease;
            }
        }
        return leases.stream().findFirst().orElse(0L);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("etcd store " + url + " is closed");
        }
    }

    private static PutOption putOption(long leaseId) {
        return leaseId == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leaseId).build();
    }

    private static Cmp cmp(Compare compare) {
        ByteSequence key = ByteSequence.from(KeySpace.keyBytes(Objects.requireNonNull(compare, "a compare is null").key()));
        return switch (compare) {
            case Compare.ModRevision(String ignored, long revision) -> new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(revision));
            case Compare.ValueEquals(String ignored, byte[] value) ->
                    new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(Objects.requireNonNull(value, "compared value"))));
        };
    }

    private static io.etcd.jetcd.op.Op op(Op op) {
        ByteSequence key = ByteSequence.from(KeySpace.keyBytes(op.key()));
        return switch (op) {
            case Op.Put put -> io.etcd.jetcd.op.Op.put(key, ByteSequence.from(put.value()), putOption(put.leaseId()));
            case Op.Delete ignored -> io.etcd.jetcd.op.Op.delete(key, DeleteOption.DEFAULT);
        };
    }

    private static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(KeySpace.text(kv.getKey().getBytes()), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    /** A prefix as etcd's [key, rangeEnd); the empty prefix is etcd's "all keys". */
    private record PrefixRange(byte[] prefix, ByteSequence key, ByteSequence end) {
        static PrefixRange of(String prefix) {
            byte[] bytes = KeySpace.prefixBytes(prefix);
            Optional<byte[]> end = KeySpace.prefixEnd(bytes);
            if (bytes.length == 0) {
                return new PrefixRange(bytes, ALL_KEYS, ALL_KEYS);
            }
            return new PrefixRange(bytes, ByteSequence.from(bytes), end.map(ByteSequence::from).orElse(ALL_KEYS));
        }
    }

    // ---------------------------------------------------------------- watch

    /**
     * One watch, carried by a succession of jetcd watchers: when one fails (connection lost, etcd
     * restarted), it is dropped and a new one starts from the revision after the last event
     * received. Each jetcd watcher has a generation; callbacks of a dropped generation are ignored,
     * so a dying stream cannot reorder or repeat events.
     *
     * <p>Lock rule: jetcd calls back while holding its own lock, so this class never calls jetcd
     * while holding its monitor.
     */
    private final class EtcdWatch implements Watch {
        private final PrefixRange range;
        private final Consumer<WatchEvent> listener;
        private final Consumer<RuntimeException> onCancelled;
        private long receivedUpTo;
        private int generation;
        private io.etcd.jetcd.Watch.Watcher watcher;
        private long resumeDelayMillis = FIRST_RESUME_DELAY_MILLIS;
        private volatile boolean ended;

        EtcdWatch(PrefixRange range, Consumer<WatchEvent> listener, Consumer<RuntimeException> onCancelled, long afterRevision) {
            this.range = range;
            this.listener = listener;
            this.onCancelled = onCancelled;
            this.receivedUpTo = afterRevision;
        }

        void open() {
            int openedGeneration;
            long fromRevision;
            synchronized (this) {
                if (ended) {
                    return;
                }
                openedGeneration = ++generation;
                fromRevision = receivedUpTo + 1;
            }
            io.etcd.jetcd.Watch.Watcher created;
            try {
                created = client.getWatchClient().watch(range.key(),
                        WatchOption.builder().withRange(range.end()).withRevision(fromRevision).build(),
                        new GenerationListener(openedGeneration));
            } catch (RuntimeException e) {
                if (!closed) {
                    failed(openedGeneration, e);
                }
                return;
            }
            boolean current;
            synchronized (this) {
                current = !ended && openedGeneration == generation;
                if (current) {
                    watcher = created;
                }
            }
            if (!current) {
                created.close();
            }
        }

        private void received(int fromGeneration, WatchResponse response) {
            synchronized (this) {
                if (ended || fromGeneration != generation) {
                    return;
                }
                resumeDelayMillis = FIRST_RESUME_DELAY_MILLIS;
                List<WatchEvent> fresh = new ArrayList<>();
                for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
                    long revision = event.getKeyValue().getModRevision();
                    WatchEvent.Type type = switch (event.getEventType()) {
                        case PUT -> WatchEvent.Type.PUT;
                        case DELETE -> WatchEvent.Type.DELETE;
                        case UNRECOGNIZED -> null;
                    };
                    // No filter on revision: a generation starts after the last event received, so it
                    // never repeats one, and the events of one revision may span two responses.
                    if (type != null) {
                        fresh.add(new WatchEvent(type, keyValue(event.getKeyValue()), revision));
                    }
                }
                if (fresh.isEmpty()) {
                    return;
                }
                receivedUpTo = fresh.getLast().revision();
                // Queued while holding the monitor, so events of a later generation queue behind these.
                dispatcher.execute(() -> deliver(fresh));
            }
        }

        private void failed(int fromGeneration, Throwable error) {
            io.etcd.jetcd.Watch.Watcher dead;
            long delay;
            synchronized (this) {
                if (ended || fromGeneration != generation) {
                    return;
                }
                generation++;
                dead = watcher;
                watcher = null;
                delay = resumeDelayMillis;
                resumeDelayMillis = Math.min(resumeDelayMillis * 2, MAX_RESUME_DELAY_MILLIS);
            }
            if (error instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
                cancel(new CompactedException(compacted.getCompactedRevision()), dead);
                return;
            }
            LOG.debug("watch of '{}' on {} lost its stream; resuming after revision {} in {} ms",
                    KeySpace.text(range.prefix()), url, receivedUpTo(), delay, error);
            try {
                resumer.schedule(() -> {
                    // Closed outside jetcd's callback, which still holds jetcd's lock and stream.
                    if (dead != null) {
                        dead.close();
                    }
                    open();
                }, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException storeClosed) {
                // The store is closing; its close() ends this watch.
            }
        }

        private synchronized long receivedUpTo() {
            return receivedUpTo;
        }

        /**
         * Passes the events of one response on in order; a revision is whole when the next event
         * is of another one, or at the end of the response (etcd sends a revision's events in one
         * response unless asked to fragment large ones, which this client does not).
         */
        private void deliver(List<WatchEvent> events) {
            for (int k = 0; k < events.size(); k++) {
                WatchEvent event = events.get(k);
                if (ended) {
                    return;
                }
                try {
                    listener.accept(event);
                    boolean whole = k == events.size() - 1 || events.get(k + 1).revision() != event.revision();
                    if (whole && listener instanceof RevisionListener revisions) {
                        revisions.revisionDelivered(event.revision());
                    }
                } catch (RuntimeException e) {
                    io.etcd.jetcd.Watch.Watcher current;
                    synchronized (this) {
                        current = watcher;
                    }
                    cancel(e, current);
                    return;
                }
            }
        }

        /** Ends the watch without being closed by its owner, and tells the owner on the store's thread. */
        private void cancel(RuntimeException reason, io.etcd.jetcd.Watch.Watcher jetcdWatcher) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                watcher = null;
            }
            watches.remove(this);
            if (jetcdWatcher != null) {
                try {
                    resumer.execute(jetcdWatcher::close);
                } catch (RejectedExecutionException storeClosed) {
                    jetcdWatcher.close();
                }
            }
            dispatcher.execute(() -> {
                try {
                    onCancelled.accept(reason);
                } catch (RuntimeException e) {
                    LOG.warn("onCancelled of a watch failed", e);
                }
            });
        }

        @Override
        public void close() {
            io.etcd.jetcd.Watch.Watcher current;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                current = watcher;
                watcher = null;
            }
            watches.remove(this);
            if (current != null) {
                current.close();
            }
        }

        /** Routes jetcd's callbacks of one generation. */
        private final class GenerationListener implements io.etcd.jetcd.Watch.Listener {
            private final int ownGeneration;

            GenerationListener(int ownGeneration) {
                this.ownGeneration = ownGeneration;
            }

            @Override
            public void onNext(WatchResponse response) {
                received(ownGeneration, response);
            }

            @Override
            public void onError(Throwable error) {
                failed(ownGeneration, error);
            }

            @Override
            public void onCompleted() {
                // jetcd completes a watcher it closed itself (after a fatal error) or one we closed;
                // in the first case the watch must go on.
                failed(ownGeneration, new IllegalStateException("etcd watch stream completed"));
            }
        }
    }
}
