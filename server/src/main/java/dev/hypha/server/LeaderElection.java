package dev.hypha.server;

import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.KeyValue;
import dev.hypha.spi.KvStore.Op;
import dev.hypha.spi.KvStore.WatchEvent;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.ForwardingKvStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses one leader among the servers that share a store, and fences the leader's writes so that
 * a server that has lost the lead cannot change anything.
 *
 * <p>Why a lease-bound key: it is the only thing every server can agree on through the store. A
 * server campaigns by creating {@code /hypha/leader} (its server id) with its own lease, in a
 * create-if-absent transaction, so exactly one wins. The leader keeps that lease alive from this
 * class's own thread, so a long controller pass never lets it lapse. A term ends at once when
 * <ol>
 *   <li>a watch on the key sees it deleted or rewritten (the lease was revoked or expired),
 *   <li>a keep-alive says the lease is gone, or none has succeeded for a whole TTL (the store is
 *       unreachable, so etcd may already have let the lease expire),
 *   <li>a fenced write is refused and the key turns out no longer to be this term's.
 * </ol>
 * Followers campaign as soon as the watch reports the key deleted, and every quarter TTL in case
 * a watch event was lost; a leader killed with {@code kill -9} is replaced when its lease expires.
 *
 * <p>Fencing has two layers. {@link #fenced(StateStore)} is a view of the store whose writes fail
 * with {@link LeadershipLostException} once this server knows its term ended, so a controller pass
 * stops at its next write; and every write of that view carries {@link #guard()}, the compare "the
 * leader key still has the mod revision this term created", so a server that does not know yet (a
 * long pause, a partition) is refused by the store itself.
 *
 * <p>Thread-safe. Start with {@link #start}; {@link #close()} resigns, so another server takes
 * over without waiting for the lease to expire.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    public static final String KEY = "/hypha/leader";

    private final KvStore kv;
    private final String serverId;
    private final Duration ttl;
    /** Keep-alives and follower checks, four per TTL: three may fail before the lease is in danger. */
    private final Duration checkInterval;
    private final AtomicReference<Held> held = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean woken;
    private volatile boolean watchLost = true;
    private volatile boolean closed;
    private final AtomicBoolean resigned = new AtomicBoolean();
    private KvStore.Watch watch;
    private volatile Thread thread;

    /** One period of leadership: the lease that holds the key and the revision it was won at. */
    public record Term(long leaseId, long wonAtRevision) {}

    /** A term and when its lease was last confirmed alive (System.nanoTime of the request that confirmed it). */
    private record Held(Term term, long confirmedNanos) {}

    /** A write of a fenced view after this server's term ended: the caller must stop acting as leader. */
    public static final class LeadershipLostException extends IllegalStateException {
        LeadershipLostException(String serverId, Term term) {
            super("server " + serverId + " is no longer the leader (its term won at revision " + term.wonAtRevision()
                    + " has ended), so it must not write as leader");
        }
    }

    private LeaderElection(KvStore kv, String serverId, Duration ttl) {
        if (ttl.toMillis() < 1000) throw new IllegalArgumentException("leader TTL must be at least 1 s: " + ttl);
        this.kv = kv;
        this.serverId = serverId;
        this.ttl = ttl;
        this.checkInterval = ttl.dividedBy(4);
    }

    /** Starts campaigning for {@code serverId} on its own thread. */
    public static LeaderElection start(KvStore kv, String serverId, Duration ttl) {
        LeaderElection election = new LeaderElection(kv, serverId, ttl);
        election.thread = Thread.ofPlatform().name("hypha-leader-election").daemon(true).start(election::run);
        return election;
    }

    public String serverId() {
        return serverId;
    }

    public boolean isLeader() {
        return current() != null;
    }

    /** This server's current term, while it leads. */
    public Optional<Term> term() {
        Held h = current();
        return h == null ? Optional.empty() : Optional.of(h.term());
    }

    /** The current leader's server id, as the store has it, if any. */
    public Optional<String> leader() {
        return kv.get(KEY).map(KeyValue::valueAsString);
    }

    /**
     * The store's half of the fence: the leader key was last written when this server won it.
     * Empty when this server does not lead (its writes must not happen at all).
     */
    public Optional<Compare> guard() {
        return term().map(LeaderElection::guardOf);
    }

    /**
     * A view of {@code store} for this term's controller pass, or empty when this server does not
     * lead. Its writes fail with {@link LeadershipLostException} as soon as the term ends, and the
     * store refuses them (as lost races) if this server has not noticed yet.
     */
    public Optional<StateStore> fenced(StateStore store) {
        Held h = current();
        if (h == null) return Optional.empty();
        // Over the server's own store view, so records it already decoded are not decoded again each pass.
        return Optional.of(store.over(new FencedKvStore(store.kv(), h.term())).guardedBy(guardOf(h.term())));
    }

    private static Compare guardOf(Term t) {
        return new Compare.ModRevision(KEY, t.wonAtRevision());
    }

    /** The held term, unless it has not been confirmed for a whole TTL (then etcd may have expired it). */
    private Held current() {
        Held h = held.get();
        if (h == null || System.nanoTime() - h.confirmedNanos() >= ttl.toNanos()) return null;
        return h;
    }

    // ---------------------------------------------------------------- the election thread

    private void run() {
        while (!closed) {
            try {
                if (watchLost) openWatch();
                Held h = held.get();
                if (h == null) {
                    campaign();
                } else if (current() == null) {
                    stepDown(h.term(), "no keep-alive succeeded for " + ttl.toSeconds() + " s");
                } else {
                    keepAlive(h.term());
                }
            } catch (RuntimeException e) {
                if (closed) break;
                log.debug("leader election step of {} failed: {}", serverId, e.toString());
                Held h = held.get();
                if (h != null && current() == null) {
                    stepDown(h.term(), "the store did not confirm its lease for " + ttl.toSeconds() + " s");
                }
            }
            awaitWake(checkInterval);
        }
    }

    /** Watches the leader key from now on; a key changed before is seen by the campaign or keep-alive that follows. */
    private void openWatch() {
        KvStore.Watch old = watch;
        if (old != null) old.close();
        watchLost = false;
        try {
            watch = kv.watch(KEY, kv.revision(), this::onKeyEvent, lost -> {
                log.debug("watch of the leader key ended ({}); opening it again", lost.toString());
                watchLost = true;
                wakeUp();
            });
        } catch (RuntimeException e) {
            watchLost = true;
            throw e;
        }
    }

    /** Called on the store's watch thread: must not block. */
    private void onKeyEvent(WatchEvent event) {
        if (!event.kv().key().equals(KEY)) return;
        Held h = held.get();
        if (h != null && event.revision() > h.term().wonAtRevision()) {
            boolean stillOurs = event.type() == WatchEvent.Type.PUT && event.kv().lease() == h.term().leaseId();
            if (!stillOurs) {
                stepDown(h.term(), event.type() == WatchEvent.Type.DELETE
                        ? "the leader key was deleted (its lease was revoked or expired)"
                        : "the leader key was rewritten by " + event.kv().valueAsString());
            }
        }
        if (event.type() == WatchEvent.Type.DELETE) wakeUp(); // a follower campaigns at once
    }

    private void campaign() {
        Optional<KeyValue> previous = kv.get(KEY);
        Compare vacant = Compare.absent(KEY);
        if (previous.isPresent()) {
            if (!previous.get().valueAsString().equals(serverId)) return; // another server leads
            // Our own previous life (killed, or it lost track of its term) holds the key: replace it in
            // one step, so no other server sees it vacant in between and the lead comes back at once.
            vacant = new Compare.ModRevision(KEY, previous.get().modRevision());
        }
        long asked = System.nanoTime(); // the lease's TTL runs from no earlier than this
        long lease = kv.grantLease(ttl);
        KvStore.TxnResult result;
        try {
            result = kv.txn(List.of(vacant), List.of(new Op.Put(KEY, serverId.getBytes(StandardCharsets.UTF_8), lease)),
                    List.of());
        } catch (RuntimeException e) {
            revokeQuietly(lease); // in case it was applied: give the key up rather than hold it unknowingly
            throw e;
        }
        if (!result.succeeded()) {
            revokeQuietly(lease);
            return;
        }
        held.set(new Held(new Term(lease, result.revision()), asked));
        previous.ifPresent(p -> revokeQuietly(p.lease())); // the key has left it; nothing else holds it
        log.info("server {} is now the leader (term won at revision {})", serverId, result.revision());
    }

    private void keepAlive(Term t) {
        long asked = System.nanoTime();
        if (!kv.keepAlive(t.leaseId())) {
            stepDown(t, "its lease has expired");
            return;
        }
        Optional<KeyValue> key = kv.get(KEY);
        if (key.isEmpty() || key.get().modRevision() != t.wonAtRevision()) {
            stepDown(t, "the leader key is no longer this term's");
            revokeQuietly(t.leaseId());
            return;
        }
        Held h = held.get();
        if (h != null && h.term().equals(t)) held.compareAndSet(h, new Held(t, asked));
    }

    /** Ends {@code t}, if it is still the held term. */
    private void stepDown(Term t, String reason) {
        Held h = held.get();
        if (h != null && h.term().equals(t) && held.compareAndSet(h, null)) {
            log.warn("server {} lost leadership: {}", serverId, reason);
            wakeUp();
        }
    }

    private void awaitWake(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!woken && !closed && left > 0) left = wake.awaitNanos(left);
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void wakeUp() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void revokeQuietly(long lease) {
        if (lease == 0) return;
        try {
            kv.revokeLease(lease);
        } catch (RuntimeException e) {
            log.debug("could not revoke lease {}: {}", lease, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- resigning

    /** Stops campaigning and gives leadership up, so another server takes over without waiting for the TTL. */
    @Override
    public void close() {
        if (!resigned.compareAndSet(false, true)) return;
        closed = true;
        wakeUp();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KvStore.Watch w = watch;
        if (w != null) w.close();
        Held h = held.getAndSet(null);
        try {
            if (h != null) kv.revokeLease(h.term().leaseId());
            // A campaign cut short by close() may have won without recording it: give that key up too.
            Optional<KeyValue> key = kv.get(KEY);
            if (key.isPresent() && key.get().valueAsString().equals(serverId)) {
                kv.txn(List.of(new Compare.ModRevision(KEY, key.get().modRevision())), List.of(new Op.Delete(KEY)), List.of());
                revokeQuietly(key.get().lease());
            }
            if (h != null) log.info("server {} resigned the leadership", serverId);
        } catch (RuntimeException e) {
            log.debug("could not resign cleanly (the lease expires by itself): {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the fenced view

    /**
     * The store as one term's leader may write it: reads pass through; every write first checks that
     * the term is still held here, and a refused transaction checks whether the refusal was the
     * fence. It does not own the store: closing it closes nothing.
     */
    private final class FencedKvStore extends ForwardingKvStore {
        private final Term term;

        FencedKvStore(KvStore store, Term term) {
            super(store);
            this.term = term;
        }

        private void requireTerm() {
            Held h = current();
            if (h == null || !h.term().equals(term)) throw new LeadershipLostException(serverId, term);
        }

        @Override
        public long put(String key, byte[] value, long leaseId) {
            requireTerm();
            return delegate.put(key, value, leaseId);
        }

        @Override
        public boolean delete(String key) {
            requireTerm();
            return delegate.delete(key);
        }

        @Override
        public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
            requireTerm();
            TxnResult result = delegate.txn(compares, onSuccess, onFailure);
            if (!result.succeeded()) {
                // A lost race, or the fence: tell them apart, and stop at once if it was the fence.
                Optional<KeyValue> key = delegate.get(KEY);
                if (key.isEmpty() || key.get().modRevision() != term.wonAtRevision()) {
                    stepDown(term, "a fenced write was refused: the leader key is no longer this term's");
                    throw new LeadershipLostException(serverId, term);
                }
            }
            return result;
        }

        @Override
        public long grantLease(Duration leaseTtl) {
            requireTerm();
            return delegate.grantLease(leaseTtl);
        }

        @Override
        public boolean keepAlive(long leaseId) {
            requireTerm();
            return delegate.keepAlive(leaseId);
        }

        @Override
        public void revokeLease(long leaseId) {
            requireTerm();
            delegate.revokeLease(leaseId);
        }

        @Override
        public void close() {
            // A view: the server closes the store itself.
        }
    }
}
