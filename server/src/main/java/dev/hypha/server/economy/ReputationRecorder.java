package dev.hypha.server.economy;

import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.core.reputation.ObservedEvent;
import dev.hypha.core.reputation.ReputationConfig;
import dev.hypha.core.reputation.ReputationCrdt;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import dev.hypha.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's reputation observations, and the seam through which gossip brings in everyone
 * else's: the server records what it sees of nodes as observer {@code observerId}, persists its own
 * rows under {@code /hypha/reputation/<observerId>}, and merges rows received from peers.
 *
 * <p>Why the split between own and received rows: the CRDT's merge is correct only if each row has
 * a single writer (its observer), so only this server increments its own rows, and a received row
 * that claims to be this server's is dropped, whoever sent it. Received rows are kept in memory
 * only: gossip brings them again after a restart, while the store holds what the servers, the
 * pre-trusted observers, saw themselves.
 *
 * <p>Gossip integration: call {@link #merge} with each state a peer sends, and disseminate
 * {@link #deltaFor} (what a peer that knows {@code known} lacks) or {@link #ownState}.
 *
 * <p>Thread-safe: the API's status handler, the controllers and the gossip layer call it
 * concurrently; every method holds the recorder's lock briefly (the CRDT itself is immutable).
 */
public final class ReputationRecorder {
    private static final Logger log = LoggerFactory.getLogger(ReputationRecorder.class);

    private final String observerId;
    private final ReputationConfig config;
    private ReputationCrdt own;
    private ReputationCrdt received;
    private boolean dirty;

    public ReputationRecorder(String observerId, ReputationConfig config) {
        this.observerId = observerId;
        this.config = config;
        this.own = ReputationCrdt.empty(config.bucket());
        this.received = ReputationCrdt.empty(config.bucket());
    }

    public String observerId() {
        return observerId;
    }

    /**
     * Loads this server's own rows from the store (after a restart), merged into what it already
     * holds. A stored state with another bucket length (the configuration changed) is dropped with a
     * warning: its rows cannot be compared with new ones.
     */
    public synchronized void load(StateStore store) {
        Optional<ReputationState> stored = store.reputation().value(observerId);
        if (stored.isEmpty()) return;
        if (stored.get().bucketMillis() != own.bucket().toMillis()) {
            log.warn("dropping stored reputation observations of {}: their buckets are {} ms, the configuration's {} ms",
                    observerId, stored.get().bucketMillis(), own.bucket().toMillis());
            return;
        }
        own = own.merge(ReputationCrdt.of(stored.get()).ofObserver(observerId));
    }

    /** Records one thing this server saw {@code subject} do. */
    public void record(String subject, NodeEvent event, Instant at) {
        recordAll(List.of(new ObservedEvent(observerId, subject, at, event)));
    }

    /** Records a batch of this server's observations; every event must name this server as observer. */
    public synchronized void recordAll(List<ObservedEvent> events) {
        if (events.isEmpty()) return;
        for (ObservedEvent e : events) {
            if (!e.observer().equals(observerId)) {
                throw new IllegalArgumentException("observer " + observerId + " cannot record an event observed by "
                        + e.observer() + ": other observers' rows arrive through merge()");
            }
        }
        own = own.recordAll(events);
        dirty = true;
    }

    /**
     * Merges a state received from a peer (gossip). Rows that claim this server as observer are
     * dropped: only this server writes them, so such a row is an echo or a forgery.
     *
     * @throws dev.hypha.model.InvalidSpecException when the state's bucket length differs from ours
     */
    public synchronized void merge(ReputationState remote) {
        List<Observation> foreign = new ArrayList<>();
        for (Observation o : remote.observations()) {
            if (!o.observer().equals(observerId)) foreign.add(o);
        }
        received = received.merge(ReputationCrdt.of(new ReputationState(remote.bucketMillis(), foreign)));
    }

    /** The rows that a peer which knows {@code known} lacks (own and received): what to gossip to it. */
    public synchronized ReputationState deltaFor(ReputationState known) {
        return own.merge(received).delta(ReputationCrdt.of(known)).toState();
    }

    /** This server's own rows. */
    public synchronized ReputationState ownState() {
        return own.toState();
    }

    /**
     * Everything this server knows: its own rows, the rows gossip brought, and the slices other
     * servers stored ({@code stored}, read from {@code /hypha/reputation/}).
     */
    public synchronized ReputationCrdt cluster(Collection<ReputationState> stored) {
        ReputationCrdt all = own.merge(received);
        for (ReputationState s : stored) {
            if (s.bucketMillis() != own.bucket().toMillis()) continue; // another configuration: not comparable
            all = all.merge(ReputationCrdt.of(s));
        }
        return all;
    }

    /**
     * Writes this server's own rows if they changed since the last write, first dropping rows past
     * the reputation horizon. Returns whether it wrote. The key has one writer (this server), so a
     * plain put is safe; a failed write stays pending for the next call.
     */
    public boolean flush(StateStore store, Instant now) {
        ReputationState state;
        synchronized (this) {
            if (!dirty) return false;
            long horizon = own.bucketOf(now) - config.horizonBuckets();
            own = own.pruneBefore(horizon);
            received = received.pruneBefore(horizon);
            state = own.toState();
            dirty = false;
        }
        try {
            if (store.reputation().put(observerId, state)) return true;
        } catch (RuntimeException e) {
            log.warn("cannot store the reputation observations of {}: {}", observerId, e.toString());
        }
        synchronized (this) {
            dirty = true;
        }
        return false;
    }
}
