package dev.hypha.store.kv;

import static dev.hypha.store.kv.KvStoreContractTest.bytes;
import static dev.hypha.store.kv.KvStoreContractTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.spi.KvStore.CompactedException;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.KeyValue;
import dev.hypha.spi.KvStore.Op;
import dev.hypha.spi.KvStore.Watch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite backend promises: durability across reopen, bounded history, its own threads. */
class SqliteKvStoreTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private SqliteKvStore open() {
        return open(SqliteKvStore.Options.defaults().withClock(clock).withLeaseReapInterval(Duration.ZERO));
    }

    private SqliteKvStore open(SqliteKvStore.Options options) {
        return new SqliteKvStore(dir.resolve("state.db"), options);
    }

    @Test
    void reopeningTheFileKeepsEveryKeyTheRevisionAndTheHistory() {
        List<KeyValue> before;
        long revision;
        long lease;
        try (SqliteKvStore store = open()) {
            for (int i = 0; i < 20; i++) {
                store.put("/r/" + i, bytes("v" + i));
            }
            store.put("/r/3", bytes("again"));
            store.delete("/r/7");
            store.txn(List.of(Compare.absent("/r/x")), List.of(new Op.Put("/r/x", bytes("x")), new Op.Delete("/r/8")), List.of());
            lease = store.grantLease(Duration.ofMinutes(1));
            store.put("/r/leased", bytes("l"), lease);
            before = store.range("/r/");
            revision = store.revision();
        }

        try (SqliteKvStore store = open()) {
            assertThat(store.revision()).isEqualTo(revision);
            assertThat(store.range("/r/")).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(before);
            assertThat(store.put("/r/next", bytes("n"))).isEqualTo(revision + 1);
            assertThat(store.keepAlive(lease)).isTrue();
            assertThat(store.grantLease(Duration.ofMinutes(1))).isGreaterThan(lease);

            EventRecorder recorder = new EventRecorder();
            try (Watch ignored = store.watch("/r/", 0, recorder)) {
                eventually().untilAsserted(() -> assertThat(recorder.events()).hasSize(26));
            }
            assertThat(recorder.summary()).startsWith("PUT /r/0=v0@1", "PUT /r/1=v1@2");
            assertThat(recorder.summary()).contains("DELETE /r/7@22", "PUT /r/x=x@23", "DELETE /r/8@23");
        }
    }

    @Test
    void aLeaseExpiresExactlyWhenItsTtlHasPassedOnTheInjectedClock() {
        try (SqliteKvStore store = open()) {
            long lease = store.grantLease(Duration.ofSeconds(30));
            store.put("/l/a", bytes("1"), lease);

            clock.advance(Duration.ofSeconds(30).minusMillis(1));
            assertThat(store.expireLeases()).isZero();
            assertThat(store.get("/l/a")).isPresent();

            clock.advance(Duration.ofMillis(1));
            assertThat(store.expireLeases()).isEqualTo(1);
            assertThat(store.get("/l/a")).isEmpty();
            assertThat(store.keepAlive(lease)).isFalse();
        }
    }

    @Test
    void keepAliveOfAnExpiredButUnreapedLeaseFailsAndDeletesItsKeys() {
        try (SqliteKvStore store = open()) {
            long lease = store.grantLease(Duration.ofSeconds(5));
            store.put("/l/a", bytes("1"), lease);
            clock.advance(Duration.ofSeconds(6));
            assertThat(store.keepAlive(lease)).isFalse();
            assertThat(store.get("/l/a")).isEmpty();
        }
    }

    @Test
    void reopeningRenewsLeasesSoARestartDoesNotExpireThemAll() {
        long lease;
        try (SqliteKvStore store = open()) {
            lease = store.grantLease(Duration.ofSeconds(10));
            store.put("/l/a", bytes("1"), lease);
            clock.advance(Duration.ofSeconds(9));
        }
        clock.advance(Duration.ofSeconds(5));
        try (SqliteKvStore store = open()) {
            assertThat(store.expireLeases()).isZero();
            clock.advance(Duration.ofSeconds(10));
            assertThat(store.expireLeases()).isEqualTo(1);
            assertThat(store.get("/l/a")).isEmpty();
        }
    }

    @Test
    void theHistoryIsBoundedAndAWatchFromBeforeItFails() {
        try (SqliteKvStore store = open(SqliteKvStore.Options.defaults().withClock(clock)
                .withLeaseReapInterval(Duration.ZERO).withHistoryRevisions(20))) {
            for (int i = 0; i < 100; i++) {
                store.put("/h/" + (i % 5), bytes("v" + i));
            }
            // Compaction runs in batches of a tenth of the history: it keeps between 20 and 22 revisions.
            assertThat(store.compactRevision()).isBetween(100L - 22 + 1, 100L - 20 + 1);
            assertThatThrownBy(() -> store.watch("/h/", 10, new EventRecorder()))
                    .isInstanceOfSatisfying(CompactedException.class,
                            e -> assertThat(e.compactRevision()).isEqualTo(store.compactRevision()));

            EventRecorder recorder = new EventRecorder();
            try (Watch ignored = store.watch("/h/", 90, recorder)) {
                eventually().untilAsserted(() -> assertThat(recorder.events()).hasSize(10));
            }
            assertThat(recorder.summary().getFirst()).isEqualTo("PUT /h/0=v90@91");
        }
    }

    @Test
    void compactingTwiceOrIntoTheFutureIsRejected() {
        try (SqliteKvStore store = open()) {
            store.put("/a", bytes("1"));
            long second = store.put("/a", bytes("2"));
            store.compact(second);
            assertThatThrownBy(() -> store.compact(second)).isInstanceOf(CompactedException.class);
            assertThatThrownBy(() -> store.compact(second + 5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("current revision is " + second);
        }
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefused() {
        try (SqliteKvStore store = open()) {
            store.put("/a", bytes("1"));
            assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
        }
        try (SqliteKvStore reopened = open()) {
            assertThat(reopened.get("/a")).isPresent();
        }
    }

    @Test
    void theDefaultReaperExpiresLeasesOnTheSystemClockAndCloseStopsItsThreads() {
        try (SqliteKvStore store = new SqliteKvStore(dir.resolve("system.db"))) {
            long lease = store.grantLease(Duration.ofMillis(50));
            store.put("/l/a", bytes("1"), lease);
            try (Watch ignored = store.watch("/l/", 0, new EventRecorder())) {
                eventually().until(() -> store.get("/l/a").isEmpty());
            }
            assertThat(storeThreads()).isNotEmpty();
        }
        eventually().untilAsserted(() -> assertThat(storeThreads()).isEmpty());
    }

    private static List<String> storeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("hypha-sqlite-"))
                .toList();
    }
}
