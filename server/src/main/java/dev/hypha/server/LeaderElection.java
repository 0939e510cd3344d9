package dev.hypha.server;

import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.Op;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses one leader among the servers that share a store, through a lease-bound key.
 *
 * <p>A server campaigns by creating {@code /hypha/leader} with its own lease (a create-if-absent
 * transaction, so exactly one wins). The leader keeps its lease alive; if a keep-alive fails, it
 * stops being leader at once. Its writes are fenced: {@link #guard()} is a compare that holds only
 * while the key still carries this server's lease, so a stale leader's transactions fail instead
 * of overwriting a newer leader's work. Followers campaign again when the key disappears.
 *
 * <p>Called serially by the controller loop ({@link #poll()}); {@link #isLeader()} is thread-safe.
 */
public final class LeaderElection {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    public static final String KEY = "/hypha/leader";

    private final KvStore kv;
    private final String serverId;
    private final Duration ttl;
    private final AtomicReference<Term> term = new AtomicReference<>();
    private long lastKeepAliveNanos;

    /** One period of leadership: the lease that holds the key and the revision it was won at. */
    public record Term(long leaseId, long wonAtRevision) {}

    public LeaderElection(KvStore kv, String serverId, Duration ttl) {
        this.kv = kv;
        this.serverId = serverId;
        this.ttl = ttl;
    }

    public boolean isLeader() {
        return term.get() != null;
    }

    public Optional<Term> term() {
        return Optional.ofNullable(term.get());
    }

    /** The current leader's server id, if any. */
    public Optional<String> leader() {
        return kv.get(KEY).map(KvStore.KeyValue::valueAsString);
    }

    /** Keeps leadership alive, or tries to win it. Returns whether this server leads now. */
    public boolean poll() {
        Term t = term.get();
        if (t != null) {
            // Keep-alives a few times per TTL are enough; the controller may poll many times a second.
            if (System.nanoTime() - lastKeepAliveNanos < ttl.toNanos() / 4) return true;
            lastKeepAliveNanos = System.nanoTime();
            boolean ok;
            try {
                ok = kv.keepAlive(t.leaseId()) && kv.get(KEY).map(e -> e.lease() == t.leaseId()).orElse(false);
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                term.set(null);
                log.warn("server {} lost leadership", serverId);
            }
            return ok;
        }
        var held = kv.get(KEY);
        if (held.isPresent()) {
            if (!held.get().valueAsString().equals(serverId)) return false;
            // Our own previous life (killed before its lease ran out): take the lead back at once.
            kv.txn(List.of(new Compare.ModRevision(KEY, held.get().modRevision())), List.of(new Op.Delete(KEY)), List.of());
        }
        long lease = kv.grantLease(ttl);
        var res = kv.txn(List.of(Compare.absent(KEY)),
                List.of(new Op.Put(KEY, serverId.getBytes(StandardCharsets.UTF_8), lease)), List.of());
        if (!res.succeeded()) {
            kv.revokeLease(lease);
            return false;
        }
        term.set(new Term(lease, res.revision()));
        lastKeepAliveNanos = System.nanoTime();
        log.info("server {} is now the leader", serverId);
        return true;
    }

    /**
     * The fencing compare for the leader's writes: the leader key was last written when this
     * server won it. Empty when this server is not leader (its writes must not happen at all).
     */
    public Optional<Compare> guard() {
        Term t = term.get();
        return t == null ? Optional.empty() : Optional.of(new Compare.ModRevision(KEY, t.wonAtRevision()));
    }

    /** Gives leadership up (on shutdown), so another server takes over without waiting for the TTL. */
    public void resign() {
        Term t = term.getAndSet(null);
        if (t != null) {
            try {
                kv.revokeLease(t.leaseId());
            } catch (RuntimeException e) {
                log.debug("could not revoke the leader lease: {}", e.getMessage());
            }
        }
    }
}
