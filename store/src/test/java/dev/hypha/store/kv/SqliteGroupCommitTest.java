package dev.hypha.store.kv;

import static dev.hypha.store.kv.KvStoreContractTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.Op;
import dev.hypha.spi.KvStore.TxnResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group commit in the SQLite store: writes that queue up while another commit runs share the next
 * SQLite transaction, each still with its own revision and all-or-nothing; one that fails leaves
 * the others written; and under concurrent compare-and-swap nothing is lost or applied twice,
 * with every revision seen by a watch, in order, and kept across reopening.
 */
class SqliteGroupCommitTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private SqliteKvStore open() {
        return new SqliteKvStore(dir.resolve("state.db"),
                SqliteKvStore.Options.defaults().withLeaseReapInterval(Duration.ZERO));
    }

    /** Starts the writes while the store's write lock is held, and releases it once all of them wait. */
    private static List<CompletableFuture<Object>> queuedTogether(SqliteKvStore store, List<Supplier<Object>> writes) {
        List<CompletableFuture<Object>> results = new ArrayList<>();
        store.holdingWrites(() -> {
            for (Supplier<Object> w : writes) results.add(CompletableFuture.supplyAsync(w, r -> Thread.ofVirtual().start(r)));
            await().atMost(PATIENCE).until(() -> store.queuedWrites() == writes.size());
        });
        return results;
    }

    @Test
    void writesQueuedWhileACommitRunsShareTheNextOneEachWithItsOwnRevision() {
        try (SqliteKvStore store = open()) {
            long before = store.revision();
            long commits = store.groupCommits();
            List<Supplier<Object>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String key = "/g/" + i;
                writes.add(() -> store.put(key, bytes(key)));
            }

            List<CompletableFuture<Object>> results = queuedTogether(store, writes);

            List<Object> revisions = results.stream().map(CompletableFuture::join).toList();
            assertThat(revisions).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(before + 1, before + 8).boxed().map(Object.class::cast).toList());
            assertThat(store.groupCommits() - commits).as("one SQLite transaction for all eight").isEqualTo(1);
            assertThat(store.range("/g/")).hasSize(8).allSatisfy(kv -> assertThat(kv.version()).isEqualTo(1));
        }
    }

    @Test
    void aWriteThatFailsInAGroupLeavesTheOthersWritten() {
        try (SqliteKvStore store = open()) {
            store.put("/g/taken", bytes("x"));
            long before = store.revision();

            List<CompletableFuture<Object>> results = queuedTogether(store, List.of(
                    () -> store.put("/g/a", bytes("a")),
                    () -> store.put("/g/b", bytes("b"), 424242), // no such lease: this write fails
                    () -> store.txn(List.of(Compare.absent("/g/taken")), List.of(new Op.Put("/g/taken", bytes("y"))),
                            List.of()),
                    () -> store.txn(List.of(Compare.absent("/g/c")),
                            List.of(new Op.Put("/g/c", bytes("c")), new Op.Put("/g/d", bytes("d"))), List.of())));

            assertThat(results.get(1)).failsWithin(PATIENCE).withThrowableThat()
                    .havingRootCause().isInstanceOf(KvStore.LeaseNotFoundException.class);
            assertThat(((TxnResult) results.get(2).join()).succeeded()).isFalse();
            assertThat(((TxnResult) results.get(3).join()).succeeded()).isTrue();
            assertThat(store.get("/g/b")).isEmpty();
            assertThat(store.get("/g/taken").orElseThrow().valueAsString()).isEqualTo("x");
            assertThat(store.get("/g/a").orElseThrow().modRevision()).isEqualTo(before + 1);
            assertThat(store.get("/g/c").orElseThrow().modRevision()).isEqualTo(before + 2);
            assertThat(store.get("/g/d").orElseThrow().modRevision()).as("one transaction, one revision")
                    .isEqualTo(before + 2);
            assertThat(store.revision()).isEqualTo(before + 2);
        }
    }

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 4).boxed();
    }

    /**
     * Threads increment counters by compare-and-swap, retrying lost races: every acknowledged
     * increment counts exactly once, a watch sees every revision once and in order, and a reopened
     * store holds the same.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentCompareAndSwapLosesNothingAndAppliesNothingTwice(long seed) throws Exception {
        int threads = 6;
        int increments = 40;
        int counters = 3;
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        long last;
        try (SqliteKvStore store = open()) {
            for (int c = 0; c < counters; c++) store.put("/c/" + c, bytes("0"));
            long start = store.revision();
            try (KvStore.Watch watch = store.watch("/c/", start, e -> seen.add(e.revision()))) {
                List<CompletableFuture<Void>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 31 + t);
                    workers.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < increments; i++) increment(store, "/c/" + random.nextInt(counters));
                    }, r -> Thread.ofVirtual().start(r)));
                }
                try {
                    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
                } catch (CompletionException e) {
                    throw new AssertionError("seed " + seed + ": a writer failed", e.getCause());
                }
                last = store.revision();
                assertThat(total(store, counters)).as("seed %d", seed).isEqualTo(threads * increments);
                assertThat(last - start).as("seed %d: one revision per increment", seed).isEqualTo(threads * increments);
                await().atMost(PATIENCE).until(() -> seen.size() == threads * increments);
                assertThat(List.copyOf(seen)).as("seed %d", seed)
                        .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, last).boxed().toList());
            }
        }
        try (SqliteKvStore reopened = open()) {
            assertThat(reopened.revision()).isEqualTo(last);
            assertThat(total(reopened, counters)).isEqualTo(threads * increments);
        }
    }

    private static void increment(SqliteKvStore store, String key) {
        while (true) {
            KvStore.KeyValue cur = store.get(key).orElseThrow();
            long next = Long.parseLong(cur.valueAsString()) + 1;
            TxnResult r = store.txn(List.of(new Compare.ModRevision(key, cur.modRevision())),
                    List.of(new Op.Put(key, Long.toString(next).getBytes(StandardCharsets.UTF_8))), List.of());
            if (r.succeeded()) return;
        }
    }

    private static long total(SqliteKvStore store, int counters) {
        long sum = 0;
        for (int c = 0; c < counters; c++) sum += Long.parseLong(store.get("/c/" + c).orElseThrow().valueAsString());
        return sum;
    }
}
