package dev.hypha.server.ha;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hypha.server.ChangeNotifier;
import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier on a fast local store whose watches a test can end: it wakes waiters on changes,
 * and when the store ends its watch (as etcd does after a compaction) it watches again from the
 * current revision, retrying while the store is down, and wakes every waiter so they re-read.
 */
class ChangeNotifierTest {
    @TempDir
    Path dir;
    EndingWatchesStore kv;
    ChangeNotifier notifier;

    @BeforeEach
    void open() {
        kv = new EndingWatchesStore(new SqliteKvStore(dir.resolve("state.db")));
        notifier = new ChangeNotifier(kv, "/hypha/");
    }

    @AfterEach
    void close() {
        try {
            notifier.close();
        } finally {
            kv.close();
        }
    }

    private CompletableFuture<Long> waitAfter(long revision) {
        CompletableFuture<Long> woken = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                woken.complete(notifier.awaitAfter(revision, Duration.ofMinutes(1)));
            } catch (InterruptedException e) {
                woken.completeExceptionally(e);
            }
        });
        return woken;
    }

    @Test
    void aChangeUnderThePrefixWakesAWaiterWithItsRevision() {
        long start = notifier.revision();
        CompletableFuture<Long> woken = waitAfter(start);

        long outside = kv.put("/elsewhere/x", "1".getBytes(UTF_8));
        long inside = kv.put("/hypha/workloads/web", "{}".getBytes(UTF_8));

        assertThat(outside).isGreaterThan(start);
        await().atMost(Duration.ofSeconds(10)).until(woken::isDone);
        assertThat(woken.join()).isEqualTo(inside);
        assertThat(notifier.revision()).isEqualTo(inside);
    }

    @Test
    void aWaiterOnOneGroupIsWokenByChangesInThatGroupOnly() throws InterruptedException {
        String instances = "/hypha/instances/";
        long before = notifier.revision(instances);
        CompletableFuture<Long> woken = new CompletableFuture<>();
        long from = notifier.revision();
        Thread.ofVirtual().start(() -> {
            try {
                woken.complete(notifier.awaitAfter(instances, from, Duration.ofMinutes(1)));
            } catch (InterruptedException e) {
                woken.completeExceptionally(e);
            }
        });

        long workload = kv.put("/hypha/workloads/web", "{}".getBytes(UTF_8));
        assertThat(notifier.awaitAfter(workload - 1, Duration.ofSeconds(10))).as("seen").isGreaterThanOrEqualTo(workload);
        assertThat(notifier.revision(instances)).isEqualTo(before);
        assertThat(woken).isNotDone();

        long instance = kv.put("/hypha/instances/web-1", "{}".getBytes(UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(woken::isDone);
        assertThat(woken.join()).isEqualTo(instance);

        assertThat(kv.delete("/hypha/instances/web-1")).isTrue();
        long deleted = kv.revision();
        assertThat(notifier.awaitAfter(instances, instance, Duration.ofSeconds(10))).as("a delete counts").isEqualTo(deleted);
        assertThat(notifier.revision("/hypha/workloads/")).isEqualTo(workload);
    }

    @Test
    void aNotifierKnowsNothingOfChangesBeforeItStartedSoAGroupCountsAsChangedThen() throws InterruptedException {
        long earlier = kv.put("/hypha/instances/old", "{}".getBytes(UTF_8));
        kv.put("/hypha/workloads/later", "{}".getBytes(UTF_8));
        try (ChangeNotifier fresh = new ChangeNotifier(kv, "/hypha/")) {
            assertThat(fresh.revision("/hypha/instances/")).isEqualTo(fresh.revision()).isGreaterThan(earlier);
            // A waiter that last read before the start must re-read at once: the wait would be over immediately.
            assertThat(fresh.awaitAfter("/hypha/instances/", earlier, Duration.ofSeconds(10))).isGreaterThan(earlier);
        }
    }

    @Test
    void aGroupIsThePrefixAndOneMoreSegment() {
        for (String notAGroup : new String[] {"/hypha/", "/hypha/instances", "/elsewhere/instances/", "/hypha/a/b/"}) {
            assertThatThrownBy(() -> notifier.revision(notAGroup)).as(notAGroup)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a group");
        }
    }

    @Test
    void afterTheStoreEndsTheWatchItWatchesAgainFromTheCurrentRevisionAndWakesEveryWaiter() {
        long start = notifier.revision();
        CompletableFuture<Long> woken = waitAfter(start);
        assertThat(kv.openWatches()).isEqualTo(1);

        // The store is down for the first attempts to watch again, and changes happen meanwhile
        // that no watch reports: only re-reading from the current revision covers them.
        kv.unavailableFor(3);
        kv.endWatches(new KvStore.CompactedException(start));
        long missed = 0;
        for (int i = 0; i < 5; i++) missed = kv.put("/hypha/instances/i" + i, "{}".getBytes(UTF_8));

        long lastMissed = missed;
        await().atMost(Duration.ofSeconds(20)).until(() -> notifier.rewatches() == 1 && woken.isDone());
        assertThat(woken.join()).isGreaterThanOrEqualTo(lastMissed);
        assertThat(notifier.revision()).isGreaterThanOrEqualTo(lastMissed);
        assertThat(kv.openWatches()).as("exactly one live watch, none leaked").isEqualTo(1);

        // The new watch is live: a later change wakes the next waiter.
        CompletableFuture<Long> next = waitAfter(notifier.revision());
        long later = kv.put("/hypha/workloads/api", "{}".getBytes(UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(next::isDone);
        assertThat(next.join()).isEqualTo(later);
    }

    @Test
    void everyEndedWatchIsReplacedOnceEvenWhenItEndsAgain() {
        for (int round = 1; round <= 3; round++) {
            kv.endWatches(new KvStore.CompactedException(notifier.revision()));
            int expected = round;
            await().atMost(Duration.ofSeconds(10)).until(() -> notifier.rewatches() == expected);
            assertThat(kv.openWatches()).isEqualTo(1);
        }
        long last = kv.put("/hypha/nodes/n1", "{}".getBytes(UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.revision() == last);
        assertThat(kv.watchesOpened()).isEqualTo(4);
    }
}
