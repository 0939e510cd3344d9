package dev.hypha.server;

import dev.hypha.model.Instance;
import dev.hypha.server.control.InstanceSource;
import dev.hypha.spi.KvStore;
import dev.hypha.store.Repository;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance record in memory, grouped by node, kept current by one watch on the store: what
 * the agent endpoints answer from, as a Kubernetes informer cache serves the kubelet.
 *
 * <p>Why: every agent asks for its assignments again after each change, and every status report
 * reads the instances it names. Answered from the store, each request read and decoded all of the
 * node's instances (or one row per reported instance), so the control plane's work per placement
 * grew with the number of instances. Here an answer is a walk over one node's entries in memory,
 * and the index remembers at which revision each instance's <em>assignment</em> last changed, so
 * an agent can ask for only what changed since the revision of its last answer. A status write
 * (the agent's own observations) is not an assignment change and wakes nobody.
 *
 * <p>Nothing lives only here: the index is rebuilt from the store when the server starts and
 * whenever the store ends its watch (history compacted away); answers then fall back to whole
 * lists for everyone ({@link #changes} with a revision older than {@link #horizon()}). Removals are
 * remembered up to {@link #MAX_REMOVALS}; past that they are forgotten all at once and the horizon
 * moves up, so an agent that asks from before it gets a whole list again.
 *
 * <p>The watch covers the whole state prefix, not only instances, so {@link #revision()} follows
 * the store's revision and an answer's revision is one the store has reached. A revision counts
 * only once all of its events are in ({@link KvStore.RevisionListener}): an answer given between
 * two events of one transaction would otherwise claim a revision it holds only part of, and the
 * agent, asking from there, would never hear of the rest. Thread-safe.
 */
public final class InstanceIndex implements InstanceSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceIndex.class);
    /** Removals remembered at most, over all nodes: enough for every agent to catch up after a pause. */
    static final int MAX_REMOVALS = 10_000;
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    /** How long a controller pass waits for the index to reach the store's revision before reading the store. */
    static final Duration CATCH_UP = Duration.ofSeconds(5);

    /**
     * What changed for one node since a revision.
     *
     * @param revision  the revision this answer is complete up to
     * @param delta     false when {@code instances} is every instance of the node (the revision asked
     *                  from was unknown, too old, or negative), true when it is a change set
     * @param instances the node's instances whose assignment changed (all of them when not a delta), by id
     * @param removed   ids that left the node since the revision asked from (empty when not a delta)
     */
    public record Changes(long revision, boolean delta, List<Instance> instances, List<String> removed) {}

    /** An instance as last seen, and the revision at which its assignment last changed. */
    private record Entry(Versioned<Instance> instance, long assignedAt) {
        String nodeId() {
            return instance.value().nodeId();
        }
    }

    /** One node's instances by id, the ids that left it with when, and who waits for a change. */
    private static final class NodeEntries {
        final TreeMap<String, Entry> instances = new TreeMap<>();
        final Map<String, Long> removed = new HashMap<>();
        /**
         * The same instances and removals ordered by the revision of their change, so a change set
         * reads only what changed after the revision asked from: walking every instance of a busy
         * node for each answer was the largest cost of answering agents.
         */
        private final TreeSet<Change> assignedOrder = new TreeSet<>();
        private final TreeSet<Change> removedOrder = new TreeSet<>();
        final Condition changed;
        long lastChange;

        NodeEntries(Condition changed) {
            this.changed = changed;
        }

        void put(String id, Entry e) {
            Entry old = instances.put(id, e);
            if (old != null) assignedOrder.remove(new Change(old.assignedAt(), id));
            assignedOrder.add(new Change(e.assignedAt(), id));
        }

        void remove(String id) {
            Entry old = instances.remove(id);
            if (old != null) assignedOrder.remove(new Change(old.assignedAt(), id));
        }

        /** Notes that {@code id} left at {@code rev}; true when it was not noted as gone before. */
        boolean markRemoved(String id, long rev) {
            Long before = removed.put(id, rev);
            if (before != null) removedOrder.remove(new Change(before, id));
            removedOrder.add(new Change(rev, id));
            return before == null;
        }

        void unmarkRemoved(String id) {
            Long before = removed.remove(id);
            if (before != null) removedOrder.remove(new Change(before, id));
        }

        void clearRemoved() {
            removed.clear();
            removedOrder.clear();
        }

        void clear() {
            instances.clear();
            assignedOrder.clear();
            clearRemoved();
        }

        /** The instances whose assignment changed in revisions {@code (after, upTo]}, in id order. */
        List<Instance> assignedBetween(long after, long upTo) {
            List<Instance> out = new ArrayList<>();
            for (Change c : between(assignedOrder, after, upTo)) out.add(instances.get(c.id()).instance().value());
            out.sort(Comparator.comparing(Instance::id));
            return out;
        }

        /** The ids that left in revisions {@code (after, upTo]}, sorted. */
        List<String> removedBetween(long after, long upTo) {
            List<String> out = new ArrayList<>();
            for (Change c : between(removedOrder, after, upTo)) out.add(c.id());
            out.sort(null);
            return out;
        }

        private static NavigableSet<Change> between(TreeSet<Change> changes, long after, long upTo) {
            if (upTo <= after) return java.util.Collections.emptyNavigableSet();
            // "" sorts before every id: (after + 1, "") is the first change after revision after.
            return changes.subSet(new Change(after + 1, ""), true, new Change(upTo + 1, ""), false);
        }
    }

    /** One instance's change at a revision, ordered by revision and then id. */
    private record Change(long revision, String id) implements Comparable<Change> {
        @Override
        public int compareTo(Change o) {
            int byRevision = Long.compare(revision, o.revision);
            return byRevision != 0 ? byRevision : id.compareTo(o.id);
        }
    }

    private final KvStore kv;
    private final Repository<Instance> repository;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition caughtUp = lock.newCondition();
    private final TreeMap<String, Entry> byId = new TreeMap<>();
    private final Map<String, NodeEntries> byNode = new HashMap<>();
    /** Nodes whose latest change is of a revision not yet whole: their waiters hear of it once it is. */
    private final Set<NodeEntries> changedInOpenRevision = new HashSet<>();
    private int removals;
    /** Every event up to this revision is applied. */
    private long revision;
    private long horizon;
    /** Times the index was rebuilt after its watch ended: waiters return on it, their revision may be gone. */
    private long rebuilds;
    /** Which watch is current: events and endings of an older one are ignored. */
    private long generation;
    private KvStore.Watch watch;
    private Thread rebuilder;
    private boolean closed;

    /** Reads every instance of {@code store} and follows its changes from then on. */
    public InstanceIndex(StateStore store) {
        this.kv = store.kv();
        this.repository = store.instances();
        lock.lock();
        try {
            watch = load(0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the watch, then reads the instances, holding the lock so no event is applied before
     * the read is in place. Events from between the two are applied after it, and skipped where
     * the read already holds a newer value of the key; the few instances the read shows ahead of
     * the index's revision are real values, which the events that follow catch up with. The
     * horizon is the store's revision after the read (see below).
     */
    private KvStore.Watch load(long ofGeneration) {
        long from = kv.revision();
        KvStore.Watch opened = kv.watch(StateStore.ROOT, from, new KvStore.RevisionListener() {
            @Override
            public void accept(KvStore.WatchEvent e) {
                apply(e, ofGeneration);
            }

            @Override
            public void revisionDelivered(long rev) {
                whole(rev, ofGeneration);
            }
        }, reason -> watchEnded(ofGeneration, reason));
        try {
            byId.clear();
            changedInOpenRevision.clear();
            byNode.values().forEach(n -> {
                n.clear();
                n.lastChange = from;
            });
            removals = 0;
            for (Versioned<Instance> v : repository.list()) {
                Entry e = new Entry(v, v.modRevision());
                byId.put(v.value().id(), e);
                if (e.nodeId() == null) continue;
                NodeEntries n = node(e.nodeId());
                n.put(v.value().id(), e);
                if (e.assignedAt() > n.lastChange) {
                    // Read ahead of the watch: waiters hear of it when the watch reaches its revision.
                    n.lastChange = e.assignedAt();
                    changedInOpenRevision.add(n);
                }
            }
            revision = from;
            // Removals between the two reads of the revision are in no tombstone: the read may already
            // miss the key, and its delete event then finds nothing to remove. Asked from before the
            // second read, the index answers with everything.
            horizon = kv.revision();
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private NodeEntries node(String nodeId) {
        return byNode.computeIfAbsent(nodeId, k -> new NodeEntries(lock.newCondition()));
    }

    /** Called on the store's watch thread, one event at a time in revision order. */
    private void apply(KvStore.WatchEvent event, long ofGeneration) {
        lock.lock();
        try {
            if (closed || ofGeneration != generation) return;
            String key = event.kv().key();
            if (key.startsWith(repository.prefix())) {
                try {
                    applyInstance(repository.idOf(key), event);
                } catch (RuntimeException e) {
                    // One unreadable record must not end the watch for all the others.
                    log.warn("cannot index {} at revision {}: {}", key, event.revision(), e.toString());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called on the store's watch thread once every event of {@code rev} is applied. */
    private void whole(long rev, long ofGeneration) {
        lock.lock();
        try {
            if (closed || ofGeneration != generation || rev <= revision) return;
            revision = rev;
            caughtUp.signalAll();
            for (var it = changedInOpenRevision.iterator(); it.hasNext(); ) {
                NodeEntries n = it.next();
                if (n.lastChange <= rev) {
                    n.changed.signalAll();
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void applyInstance(String id, KvStore.WatchEvent event) {
        Entry old = byId.get(id);
        long rev = event.revision();
        if (event.type() == KvStore.WatchEvent.Type.DELETE) {
            if (old == null || old.instance().modRevision() > rev) return;
            byId.remove(id);
            if (old.nodeId() != null) leave(old.nodeId(), id, rev);
            return;
        }
        if (old != null && old.instance().modRevision() >= event.kv().modRevision()) return;
        Versioned<Instance> v = repository.decode(event.kv());
        Instance now = v.value();
        boolean same = old != null && sameAssignment(old.instance().value(), now);
        Entry entry = new Entry(v, same ? old.assignedAt() : rev);
        byId.put(id, entry);
        if (old != null && old.nodeId() != null && !old.nodeId().equals(now.nodeId())) leave(old.nodeId(), id, rev);
        if (now.nodeId() == null) return;
        NodeEntries n = node(now.nodeId());
        n.put(id, entry);
        if (!same) {
            n.unmarkRemoved(id);
            n.lastChange = rev;
            changedInOpenRevision.add(n);
        }
    }

    /** {@code id} left {@code nodeId} at {@code rev}: deleted or moved elsewhere. */
    private void leave(String nodeId, String id, long rev) {
        NodeEntries n = node(nodeId);
        n.remove(id);
        if (n.markRemoved(id, rev)) removals++;
        n.lastChange = rev;
        changedInOpenRevision.add(n);
        if (removals > MAX_REMOVALS) {
            // Forget every removal at once: agents asking from before now get whole lists instead.
            byNode.values().forEach(NodeEntries::clearRemoved);
            removals = 0;
            horizon = rev;
        }
    }

    /**
     * Whether two versions of an instance assign the same thing: what the control plane writes
     * (workload, generation, node, desired state, template, creation). The observed fields are the
     * agent's own report and never a reason to send the instance back to it.
     */
    static boolean sameAssignment(Instance a, Instance b) {
        return a.workload().equals(b.workload()) && a.generation() == b.generation()
                && Objects.equals(a.nodeId(), b.nodeId()) && a.desired() == b.desired()
                && Objects.equals(a.createdAt(), b.createdAt()) && Objects.equals(a.spec(), b.spec());
    }

    /** Called once, on the store's thread, when the store ended the watch: rebuild on a thread of its own. */
    private void watchEnded(long ofGeneration, RuntimeException reason) {
        lock.lock();
        try {
            if (closed || ofGeneration != generation) return;
            long next = ++generation;
            watch = null;
            log.warn("instance watch ended ({}); reading every instance again", reason.toString());
            rebuilder = Thread.ofVirtual().name("hypha-instance-index-rebuild").start(() -> rebuild(next));
        } finally {
            lock.unlock();
        }
    }

    /** Reads everything again and watches from there, retrying while the store is unavailable. */
    private void rebuild(long ofGeneration) {
        Duration retry = FIRST_RETRY;
        while (true) {
            lock.lock();
            try {
                if (closed || ofGeneration != generation) return;
                watch = load(ofGeneration);
                rebuilds++;
                caughtUp.signalAll();
                byNode.values().forEach(n -> n.changed.signalAll());
                log.info("instance index read again at revision {}", revision);
                return;
            } catch (IllegalStateException storeClosed) {
                return;
            } catch (RuntimeException e) {
                log.debug("cannot read the instances again yet: {}", e.toString());
            } finally {
                lock.unlock();
            }
            try {
                TimeUnit.NANOSECONDS.sleep(retry.toNanos());
            } catch (InterruptedException interrupted) {
                return;
            }
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
    }

    /** The revision every change up to which is applied. */
    public long revision() {
        lock.lock();
        try {
            return revision;
        } finally {
            lock.unlock();
        }
    }

    /** Changes after this revision are all known; asked from before it, {@link #changes} answers in full. */
    public long horizon() {
        lock.lock();
        try {
            return horizon;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every instance, in id order, once the index has applied revision {@code atLeast}; read from
     * {@code store} instead when it does not get there in {@link #CATCH_UP} (its watch is being
     * opened again).
     */
    @Override
    public List<Versioned<Instance>> instances(StateStore store, long atLeast) {
        try {
            lock.lock();
            try {
                long left = CATCH_UP.toNanos();
                while (!closed && revision < atLeast && left > 0) left = caughtUp.awaitNanos(left);
                if (!closed && revision >= atLeast) {
                    List<Versioned<Instance>> out = new ArrayList<>(byId.size());
                    for (Entry e : byId.values()) out.add(e.instance());
                    return out;
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the controller loop sees it at its next wait
        }
        return store.instances().list();
    }

    /** The instance as last seen, with its modification revision. */
    public Optional<Versioned<Instance>> get(String id) {
        lock.lock();
        try {
            Entry e = byId.get(id);
            return e == null ? Optional.empty() : Optional.of(e.instance());
        } finally {
            lock.unlock();
        }
    }

    /**
     * What changed for {@code nodeId} after revision {@code after}: a change set when the index
     * knows every change since then, else every instance of the node. Negative {@code after}
     * asks for everything.
     */
    public Changes changes(String nodeId, long after) {
        lock.lock();
        try {
            NodeEntries n = byNode.get(nodeId);
            boolean delta = after >= horizon && after <= revision;
            List<Instance> out = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            if (n != null && delta) {
                // A change set holds the whole revisions after the one asked from; a change of a
                // revision not yet whole comes with the next answer.
                out = n.assignedBetween(after, revision);
                removed = n.removedBetween(after, revision);
            } else if (n != null) {
                for (Entry e : n.instances.values()) out.add(e.instance().value());
            }
            return new Changes(revision, delta, out, removed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until an assignment of {@code nodeId} changes after revision {@code after}, the index is
     * read again after a gap (the revision may mean nothing now), or the timeout ends.
     */
    public void awaitChange(String nodeId, long after, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            NodeEntries n = node(nodeId);
            long rebuildsBefore = rebuilds;
            // A change counts once its revision is whole.
            while (!closed && (n.lastChange <= after || n.lastChange > revision) && rebuilds == rebuildsBefore
                    && left > 0) {
                left = n.changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the index has applied revision {@code rev} or the timeout ends; returns whether it has. */
    public boolean awaitRevision(long rev, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!closed && revision < rev && left > 0) left = caughtUp.awaitNanos(left);
            return revision >= rev;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        KvStore.Watch open;
        Thread rebuilding;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            open = watch;
            watch = null;
            rebuilding = rebuilder;
            caughtUp.signalAll();
            byNode.values().forEach(n -> n.changed.signalAll());
        } finally {
            lock.unlock();
        }
        if (rebuilding != null) rebuilding.interrupt();
        if (open != null) open.close();
    }
}
