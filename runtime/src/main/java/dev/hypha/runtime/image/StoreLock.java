package dev.hypha.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion for changes to an image store, within this JVM and across processes.
 *
 * <p>A reentrant lock orders this JVM's threads; the outermost holder also takes an exclusive
 * {@link FileLock} on {@code .lock} so that the CLI importing an image and an agent unpacking one
 * do not interleave their writes to {@code index.json} or the rootfs cache. One JVM cannot hold
 * two overlapping file locks, hence the hold count, and hence one shared instance per lock file
 * ({@link #of}) for all the stores of a process that use the same directory.
 */
final class StoreLock {
    private static final ConcurrentHashMap<Path, StoreLock> BY_FILE = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel;
    private FileLock fileLock;

    private StoreLock(Path file) {
        this.file = file;
    }

    /** The process-wide lock of {@code file}. */
    static StoreLock of(Path file) {
        return BY_FILE.computeIfAbsent(file.toAbsolutePath().normalize(), StoreLock::new);
    }

    /** A held lock; closing it releases one hold. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held acquire() {
        local.lock();
        if (local.getHoldCount() == 1) {
            try {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                fileLock = channel.lock();
            } catch (IOException e) {
                abandon();
                throw new UncheckedIOException("cannot lock the image store at " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                abandon();
                throw e;
            }
        }
        return this::release;
    }

    /** Undoes a half-taken lock: never leave the local lock held when the file lock failed, or every later caller blocks. */
    private void abandon() {
        closeChannel();
        local.unlock();
    }

    /** Whether a thread is waiting for this lock. */
    boolean contended() {
        return local.hasQueuedThreads();
    }

    private void release() {
        try {
            if (local.getHoldCount() == 1) {
                try {
                    if (fileLock != null) fileLock.release();
                } catch (IOException ignored) {
                    // closing the channel below releases it as well
                }
                closeChannel();
            }
        } finally {
            local.unlock();
        }
    }

    private void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        channel = null;
        fileLock = null;
    }
}
