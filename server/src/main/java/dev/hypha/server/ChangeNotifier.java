package dev.hypha.server;

import dev.hypha.spi.KvStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiting threads that the state under a prefix changed: the controllers wake up on it, and
 * agents' long-polls for assignments return on it. Backed by one store watch.
 *
 * <p>The watch itself resumes after lost connections and store restarts from the last revision it
 * saw (the store does that). When the store ends the watch instead, because the history it would
 * resume from was compacted away, this notifier opens a new one from the store's current revision
 * and wakes every waiter: the events in between are lost, so everyone must re-read the state, and
 * waking them is exactly that signal. Re-opening is retried until it succeeds (the store may be
 * down), on a thread of its own, never on the store's watch thread. Thread-safe.
 *
 * <p>Besides the latest revision under the whole prefix it keeps the latest per <i>group</i>: the
 * prefix and one more path segment ({@code /hypha/instances/}). A waiter that reads only one group
 * waits for that group alone ({@link #awaitAfter(String, long, Duration)}): an agent's long-poll
 * for its assignments, which are instances, is not woken by every workload, lease or ledger
 * write, only to find nothing new and be busy with a pass when its assignment does come.
 */
public final class ChangeNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeNotifier.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final KvStore kv;
    private final String prefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long revision;
    /** Latest revision per group (the prefix and one more segment), for the groups that changed since the start. */
    private final Map<String, Long> groupRevisions = new HashMap<>();
    /**
     * The revision the current watch started from: what happened in any group up to it is unknown
     * here, so every group counts as changed at it (a waiter behind it re-reads at once).
     */
    private long watchedFrom;
    private long rewatches;
    /** Which watch is current: callbacks of an ended one are ignored. */
    private long generation;
    private KvStore.Watch watch;
    private Thread rewatcher;
    private boolean closed;

    public ChangeNotifier(KvStore kv, String prefix) {
        this.kv = kv;
        this.prefix = prefix;
        KvStore.Watch opened = null;
        // A compaction may overtake the revision just read: then read it again.
        for (int attempt = 1; opened == null; attempt++) {
            long from = kv.revision();
            lock.lock();
            try {
                revision = from;
                watchedFrom = from;
            } finally {
                lock.unlock();
            }
            try {
                opened = open(from, 0);
            } catch (KvStore.CompactedException e) {
                if (attempt == 3) throw e;
            }
        }
        lock.lock();
        try {
            if (generation == 0) watch = opened;
        } finally {
            lock.unlock();
        }
    }

    private KvStore.Watch open(long from, long ofGeneration) {
        return kv.watch(prefix, from, e -> changed(e.kv().key(), e.revision()), reason -> watchEnded(ofGeneration, reason));
    }

    /** Called once, on the store's thread, when the store ended a watch (compaction, or a failing listener). */
    private void watchEnded(long ofGeneration, RuntimeException reason) {
        lock.lock();
        try {
            if (closed || ofGeneration != generation) return;
            long next = ++generation;
            watch = null;
            log.warn("watch of '{}' ended ({}); re-reading from the current revision", prefix, reason.toString());
            rewatcher = Thread.ofVirtual().name("hypha-change-rewatch").start(() -> rewatch(next));
        } finally {
            lock.unlock();
        }
    }

    private boolean superseded(long ofGeneration) {
        lock.lock();
        try {
            return closed || ofGeneration != generation;
        } finally {
            lock.unlock();
        }
    }

    /** Opens the watch again from the current revision, retrying while the store is unavailable. */
    private void rewatch(long ofGeneration) {
        Duration retry = FIRST_RETRY;
        while (!superseded(ofGeneration)) {
            try {
                long from = kv.revision();
                KvStore.Watch opened = open(from, ofGeneration);
                boolean current;
                lock.lock();
                try {
                    current = !closed && ofGeneration == generation;
                    if (current) {
                        watch = opened;
                        rewatches++;
                        if (from > revision) revision = from;
                        watchedFrom = Math.max(watchedFrom, from);
                        // Whatever happened in between is unknown: every waiter re-reads.
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                if (current) {
                    log.info("watch of '{}' open again from revision {}", prefix, from);
                } else {
                    opened.close();
                }
                return;
            } catch (IllegalStateException storeClosed) {
                return;
            } catch (RuntimeException e) {
                log.debug("cannot re-open the watch of '{}' yet: {}", prefix, e.toString());
                try {
                    TimeUnit.NANOSECONDS.sleep(retry.toNanos());
                } catch (InterruptedException interrupted) {
                    return;
                }
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            }
        }
    }

    private void changed(String key, long rev) {
        lock.lock();
        try {
            String group = group(key);
            if (group != null) groupRevisions.merge(group, rev, Math::max);
            if (rev > revision) revision = rev;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The group of a key: the prefix and the key's next path segment; null for a key outside the prefix. */
    private String group(String key) {
        if (!key.startsWith(prefix)) return null;
        int slash = key.indexOf('/', prefix.length());
        return slash < 0 ? key : key.substring(0, slash + 1);
    }

    /** Also used to wake waiters for changes outside the watched prefix. */
    public void bump(long rev) {
        lock.lock();
        try {
            if (rev > revision) revision = rev;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The revision of the latest change seen under the prefix. */
    public long revision() {
        lock.lock();
        try {
            return revision;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The revision of the latest change in {@code group} (the prefix and one more path segment,
     * ending in '/'), as far as this notifier can tell: at least the revision its watch started
     * from, since it knows nothing of the changes before.
     */
    public long revision(String group) {
        checkGroup(group);
        lock.lock();
        try {
            return groupRevision(group);
        } finally {
            lock.unlock();
        }
    }

    private long groupRevision(String group) {
        return Math.max(groupRevisions.getOrDefault(group, 0L), watchedFrom);
    }

    /**
     * Waits until a change in {@code group} (see {@link #revision(String)}) passes
     * {@code afterRevision}, the watch is opened again after a gap (waiters must re-read), or the
     * timeout ends; returns the group's revision then. Changes elsewhere do not wake it.
     */
    public long awaitAfter(String group, long afterRevision, Duration timeout) throws InterruptedException {
        checkGroup(group);
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long reopenedBefore = rewatches;
            while (groupRevision(group) <= afterRevision && rewatches == reopenedBefore) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                changed.awaitNanos(left);
            }
            return groupRevision(group);
        } finally {
            lock.unlock();
        }
    }

    private void checkGroup(String group) {
        if (group == null || !group.startsWith(prefix) || !group.endsWith("/") || group.length() == prefix.length()
                || group.indexOf('/', prefix.length()) != group.length() - 1) {
            throw new IllegalArgumentException("'" + group + "' is not a group of '" + prefix
                    + "': the prefix and one more path segment ending in '/' (e.g. " + prefix + "instances/)");
        }
    }

    /** How many times the watch was opened again after the store ended it (for tests and diagnostics). */
    public long rewatches() {
        lock.lock();
        try {
            return rewatches;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the revision passes {@code afterRevision}, the watch is opened again after a gap
     * (waiters must re-read), or the timeout ends; returns the revision then.
     */
    public long awaitAfter(long afterRevision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long reopenedBefore = rewatches;
            while (revision <= afterRevision && rewatches == reopenedBefore) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                changed.awaitNanos(left);
            }
            return revision;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        KvStore.Watch open;
        Thread retrying;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            open = watch;
            watch = null;
            retrying = rewatcher;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (retrying != null) retrying.interrupt();
        if (open != null) open.close();
    }
}
