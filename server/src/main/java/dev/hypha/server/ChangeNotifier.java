package dev.hypha.server;

import dev.hypha.spi.KvStore;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells waiting threads that the state under a prefix changed: the controllers wake up on it, and
 * agents' long-polls for assignments return on it. Backed by one store watch.
 */
public final class ChangeNotifier implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final KvStore.Watch watch;
    private long revision;

    public ChangeNotifier(KvStore kv, String prefix) {
        this.revision = kv.revision();
        this.watch = kv.watch(prefix, revision, e -> bump(e.revision()));
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

    public long revision() {
        lock.lock();
        try {
            return revision;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the revision passes {@code afterRevision} or the timeout ends; returns the revision then. */
    public long awaitAfter(long afterRevision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (revision <= afterRevision) {
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
        watch.close();
    }
}
