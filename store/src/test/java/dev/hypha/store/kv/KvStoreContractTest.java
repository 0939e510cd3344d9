package dev.hypha.store.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.CompactedException;
import dev.hypha.spi.KvStore.KeyValue;
import dev.hypha.spi.KvStore.LeaseNotFoundException;
import dev.hypha.spi.KvStore.Op;
import dev.hypha.spi.KvStore.TxnResult;
import dev.hypha.spi.KvStore.Watch;
import dev.hypha.spi.KvStore.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link KvStore} backend must show: etcd v3's semantics, one test per rule.
 *
 * <p>A backend's test extends this class and says how to make a fresh store, how to compact it and
 * how to let lease time pass (an injected clock for SQLite, real time for etcd).
 */
public abstract class KvStoreContractTest {
    /** A fresh store whose key space is empty (its revision need not be 0). */
    protected abstract KvStore newStore();

    /** Discards the store's history before {@code revision}. */
    protected abstract void compact(KvStore store, long revision);

    /**
     * Lets {@code duration} of lease time pass and lets the store act on it. A backend on real time
     * does nothing: the caller polls with awaitility while real time passes.
     */
    protected abstract void letTimePass(KvStore store, Duration duration);

    /** A lease TTL short enough for the tests. */
    protected abstract Duration leaseTtl();

    protected KvStore store;

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20));
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    // ------------------------------------------------------------ get, range, put, delete

    @Test
    void putThenGetReturnsTheValueWithItsRevisions() {
        long first = store.put("/a", bytes("one"));
        assertThat(store.get("/a")).get().satisfies(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("one");
            assertThat(kv.createRevision()).isEqualTo(first);
            assertThat(kv.modRevision()).isEqualTo(first);
            assertThat(kv.version()).isEqualTo(1);
            assertThat(kv.lease()).isZero();
        });

        long second = store.put("/a", bytes("two"));
        assertThat(second).isGreaterThan(first);
        KeyValue kv = store.get("/a").orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("two");
        assertThat(kv.createRevision()).isEqualTo(first);
        assertThat(kv.modRevision()).isEqualTo(second);
        assertThat(kv.version()).isEqualTo(2);
        assertThat(store.revision()).isEqualTo(second);
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
        assertThat(store.get("/missing")).isEmpty();
    }

    @Test
    void emptyValuesAreStoredAndEmptyKeysRejected() {
        store.put("/empty", new byte[0]);
        assertThat(store.get("/empty")).get().extracting(KeyValue::value).isEqualTo(new byte[0]);
        assertThatThrownBy(() -> store.put("", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangeReturnsExactlyThePrefixInByteOrder() {
        for (String key : List.of("/b/1", "/a/2", "/a0", "/a/1", "/a/10", "/a", "/a/é", "/a/z")) {
            store.put(key, bytes(key));
        }
        assertThat(store.range("/a/")).extracting(KeyValue::key)
                .containsExactly("/a/1", "/a/10", "/a/2", "/a/z", "/a/é");
        assertThat(store.range("/b/")).extracting(KeyValue::key).containsExactly("/b/1");
        assertThat(store.range("/c/")).isEmpty();
        assertThat(store.range("")).extracting(KeyValue::key)
                .containsExactly("/a", "/a/1", "/a/10", "/a/2", "/a/z", "/a/é", "/a0", "/b/1");
    }

    @Test
    void deleteReportsWhetherTheKeyExistedAndOnlyARealDeleteTakesARevision() {
        long put = store.put("/d", bytes("x"));
        assertThat(store.delete("/d")).isTrue();
        long afterDelete = store.revision();
        assertThat(afterDelete).isGreaterThan(put);
        assertThat(store.get("/d")).isEmpty();

        assertThat(store.delete("/d")).isFalse();
        assertThat(store.revision()).isEqualTo(afterDelete);

        long recreated = store.put("/d", bytes("y"));
        assertThat(store.get("/d")).get().satisfies(kv -> {
            assertThat(kv.createRevision()).isEqualTo(recreated);
            assertThat(kv.version()).isEqualTo(1);
        });
    }

    /** Random puts, deletes and transactions against a plain map: same answers, revisions always rising. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomWritesAgreeWithAModelAndRevisionsStrictlyIncrease(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<String> keys = List.of("/m/a", "/m/b", "/m/c", "/m/d", "/n/a");
        Map<String, KeyValue> model = new TreeMap<>();
        long start = store.revision();
        EventRecorder recorder = new EventRecorder();
        List<String> expectedEvents = new ArrayList<>();
        try (Watch ignored = store.watch("/m/", start, recorder)) {
            long last = start;
            for (int step = 0; step < 40; step++) {
                String key = keys.get(random.nextInt(keys.size()));
                switch (random.nextInt(3)) {
                    case 0 -> {
                        String value = "v" + step;
                        long revision = store.put(key, bytes(value));
                        assertThat(revision).as("seed %d step %d: put revision", seed, step).isGreaterThan(last);
                        last = revision;
                        applyPut(model, key, value, revision, expectedEvents);
                    }
                    case 1 -> {
                        boolean existed = store.delete(key);
                        assertThat(existed).as("seed %d step %d: delete %s", seed, step, key).isEqualTo(model.containsKey(key));
                        if (existed) {
                            assertThat(store.revision()).as("seed %d step %d", seed, step).isGreaterThan(last);
                            last = store.revision();
                            applyDelete(model, key, last, expectedEvents);
                        } else {
                            assertThat(store.revision()).as("seed %d step %d", seed, step).isEqualTo(last);
                        }
                    }
                    default -> {
                        String other = keys.get((keys.indexOf(key) + 1 + random.nextInt(keys.size() - 1)) % keys.size());
                        long current = model.containsKey(key) ? model.get(key).modRevision() : 0;
                        long compared = random.nextBoolean() ? current : current + 1;
                        boolean expectSuccess = compared == current;
                        TxnResult result = store.txn(List.of(new Compare.ModRevision(key, compared)),
                                List.of(new Op.Put(key, bytes("t" + step)), new Op.Delete(other)),
                                List.of(new Op.Put(other, bytes("e" + step))));
                        assertThat(result.succeeded()).as("seed %d step %d: txn", seed, step).isEqualTo(expectSuccess);
                        // Either branch writes a key, so either way the revision moves on.
                        assertThat(result.revision()).as("seed %d step %d: txn revision", seed, step).isGreaterThan(last);
                        last = result.revision();
                        if (expectSuccess) {
                            applyPut(model, key, "t" + step, last, expectedEvents);
                            if (model.containsKey(other)) {
                                applyDelete(model, other, last, expectedEvents);
                            }
                        } else {
                            applyPut(model, other, "e" + step, last, expectedEvents);
                        }
                        assertThat(store.revision()).isEqualTo(last);
                    }
                }
            }
            assertThat(store.range("/")).as("seed %d: final state", seed)
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(model.values());
            eventually().untilAsserted(() -> assertThat(recorder.summary()).as("seed %d: watched events", seed)
                    .containsExactlyElementsOf(expectedEvents));
        }
    }

    static Stream<Long> seeds() {
        return LongStream.of(7, 42, 1_000_003).boxed();
    }

    private static void applyPut(Map<String, KeyValue> model, String key, String value, long revision, List<String> events) {
        KeyValue old = model.get(key);
        model.put(key, new KeyValue(key, bytes(value), old == null ? revision : old.createRevision(), revision,
                old == null ? 1 : old.version() + 1, 0));
        if (key.startsWith("/m/")) {
            events.add("PUT " + key + "=" + value + "@" + revision);
        }
    }

    private static void applyDelete(Map<String, KeyValue> model, String key, long revision, List<String> events) {
        model.remove(key);
        if (key.startsWith("/m/")) {
            events.add("DELETE " + key + "@" + revision);
        }
    }

    // ------------------------------------------------------------ transactions

    @Test
    void txnAppliesTheSuccessBranchAtOneRevisionWhenComparesHold() {
        long a = store.put("/t/a", bytes("1"));
        store.put("/t/gone", bytes("x"));
        TxnResult result = store.txn(
                List.of(new Compare.ModRevision("/t/a", a), Compare.absent("/t/new"), new Compare.ValueEquals("/t/a", bytes("1"))),
                List.of(new Op.Put("/t/a", bytes("2")), new Op.Put("/t/new", bytes("n")), new Op.Delete("/t/gone")),
                List.of(new Op.Put("/t/else", bytes("e"))));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.revision()).isEqualTo(store.revision());
        assertThat(store.get("/t/a").orElseThrow().modRevision()).isEqualTo(result.revision());
        assertThat(store.get("/t/new").orElseThrow().modRevision()).isEqualTo(result.revision());
        assertThat(store.get("/t/gone")).isEmpty();
        assertThat(store.get("/t/else")).isEmpty();
    }

    @Test
    void txnAppliesTheFailureBranchWhenAnyCompareFails() {
        long a = store.put("/t/a", bytes("1"));
        TxnResult result = store.txn(
                List.of(new Compare.ModRevision("/t/a", a), new Compare.ValueEquals("/t/a", bytes("other"))),
                List.of(new Op.Put("/t/then", bytes("t"))),
                List.of(new Op.Put("/t/else", bytes("e"))));

        assertThat(result.succeeded()).isFalse();
        assertThat(store.get("/t/then")).isEmpty();
        assertThat(store.get("/t/else")).get().extracting(KeyValue::valueAsString).isEqualTo("e");
        assertThat(result.revision()).isEqualTo(store.revision()).isGreaterThan(a);
    }

    @Test
    void txnThatChangesNothingKeepsTheRevision() {
        long a = store.put("/t/a", bytes("1"));
        TxnResult result = store.txn(List.of(Compare.absent("/t/a")), List.of(new Op.Put("/t/a", bytes("2"))), List.of());
        assertThat(result.succeeded()).isFalse();
        assertThat(result.revision()).isEqualTo(a);
        assertThat(store.revision()).isEqualTo(a);
    }

    @Test
    void absentCompareCreatesOnlyOnce() {
        List<Compare> absent = List.of(Compare.absent("/t/once"));
        assertThat(store.txn(absent, List.of(new Op.Put("/t/once", bytes("first"))), List.of()).succeeded()).isTrue();
        assertThat(store.txn(absent, List.of(new Op.Put("/t/once", bytes("second"))), List.of()).succeeded()).isFalse();
        assertThat(store.get("/t/once")).get().extracting(KeyValue::valueAsString).isEqualTo("first");
    }

    @Test
    void valueCompareOnAMissingKeyFails() {
        assertThat(store.txn(List.of(new Compare.ValueEquals("/t/none", new byte[0])), List.of(new Op.Put("/t/x", bytes("x"))), List.of())
                .succeeded()).isFalse();
        assertThat(store.get("/t/x")).isEmpty();
    }

    @Test
    void txnWithAFailingOpAppliesNothing() {
        long before = store.put("/t/a", bytes("1"));
        long missingLease = 987_654_321L;
        assertThatThrownBy(() -> store.txn(List.of(),
                List.of(new Op.Put("/t/a", bytes("2")), new Op.Put("/t/b", bytes("b"), missingLease)), List.of()))
                .isInstanceOf(LeaseNotFoundException.class);
        assertThat(store.get("/t/a")).get().extracting(KeyValue::valueAsString).isEqualTo("1");
        assertThat(store.get("/t/b")).isEmpty();
        assertThat(store.revision()).isEqualTo(before);
    }

    @Test
    void txnRejectsTheSameKeyTwiceInABranch() {
        assertThatThrownBy(() -> store.txn(List.of(),
                List.of(new Op.Put("/t/a", bytes("1")), new Op.Delete("/t/a")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/t/a");
    }

    @Test
    void concurrentCompareAndSwapHasExactlyOneWinner() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 8; round++) {
                long base = store.put("/cas/k", bytes("start"));
                CyclicBarrier startTogether = new CyclicBarrier(writers);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int writer = 0; writer < writers; writer++) {
                    String value = "writer-" + writer;
                    attempts.add(pool.submit(() -> {
                        startTogether.await(10, TimeUnit.SECONDS);
                        return store.txn(List.of(new Compare.ModRevision("/cas/k", base)),
                                List.of(new Op.Put("/cas/k", bytes(value))), List.of()).succeeded();
                    }));
                }
                List<Integer> winners = new ArrayList<>();
                for (int writer = 0; writer < writers; writer++) {
                    if (attempts.get(writer).get(20, TimeUnit.SECONDS)) {
                        winners.add(writer);
                    }
                }
                assertThat(winners).as("round %d winners", round).hasSize(1);
                assertThat(store.get("/cas/k")).get().extracting(KeyValue::valueAsString)
                        .isEqualTo("writer-" + winners.getFirst());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentIncrementsThroughCompareAndSwapLoseNoUpdate() throws Exception {
        int writers = 4;
        int incrementsEach = 10;
        store.put("/cas/counter", bytes("0"));
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsEach; i++) {
                        while (true) {
                            KeyValue current = store.get("/cas/counter").orElseThrow();
                            int next = Integer.parseInt(current.valueAsString()) + 1;
                            if (store.txn(List.of(new Compare.ModRevision("/cas/counter", current.modRevision())),
                                    List.of(new Op.Put("/cas/counter", bytes(Integer.toString(next)))), List.of()).succeeded()) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        KeyValue counter = store.get("/cas/counter").orElseThrow();
        assertThat(counter.valueAsString()).isEqualTo(Integer.toString(writers * incrementsEach));
        assertThat(counter.version()).isEqualTo(1 + writers * incrementsEach);
    }

    // ------------------------------------------------------------ watches

    @Test
    void watchFromAPastRevisionReplaysInOrderThenStreamsLive() {
        long first = store.put("/w/a", bytes("1"));
        store.put("/w/b", bytes("2"));
        store.delete("/w/a");
        long deleted = store.revision();
        EventRecorder recorder = new EventRecorder();

        try (Watch ignored = store.watch("/w/", first - 1, recorder)) {
            eventually().untilAsserted(() -> assertThat(recorder.summary()).containsExactly(
                    "PUT /w/a=1@" + first, "PUT /w/b=2@" + (first + 1), "DELETE /w/a@" + deleted));
            long live = store.put("/w/c", bytes("3"));
            TxnResult txn = store.txn(List.of(), List.of(new Op.Put("/w/d", bytes("4")), new Op.Delete("/w/b")), List.of());
            eventually().untilAsserted(() -> assertThat(recorder.summary()).containsExactly(
                    "PUT /w/a=1@" + first, "PUT /w/b=2@" + (first + 1), "DELETE /w/a@" + deleted,
                    "PUT /w/c=3@" + live, "PUT /w/d=4@" + txn.revision(), "DELETE /w/b@" + txn.revision()));
        }
        WatchEvent put = recorder.events().get(3);
        assertThat(put.kv().createRevision()).isEqualTo(put.revision());
        assertThat(put.kv().version()).isEqualTo(1);
        WatchEvent delete = recorder.events().get(2);
        assertThat(delete.kv().modRevision()).isEqualTo(delete.revision());
        assertThat(delete.kv().value()).isEmpty();
        assertThat(recorder.threads()).doesNotContain(Thread.currentThread());
    }

    /**
     * A listener that hears when revisions are whole: after the last event of each revision under
     * the prefix, replayed or live, and never in the middle of a transaction's events.
     */
    @Test
    void aRevisionListenerHearsEachRevisionOnceItsEventsAreAllIn() {
        long first = store.txn(List.of(), List.of(new Op.Put("/r/a", bytes("1")), new Op.Put("/r/b", bytes("2"))),
                List.of()).revision();
        store.put("/elsewhere", bytes("x"));
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        KvStore.RevisionListener listener = new KvStore.RevisionListener() {
            @Override
            public void accept(WatchEvent event) {
                heard.add(EventRecorder.summary(event));
            }

            @Override
            public void revisionDelivered(long revision) {
                heard.add("whole @" + revision);
            }
        };

        try (Watch ignored = store.watch("/r/", first - 1, listener)) {
            eventually().untilAsserted(() -> assertThat(heard).containsExactly(
                    "PUT /r/a=1@" + first, "PUT /r/b=2@" + first, "whole @" + first));
            long live = store.txn(List.of(), List.of(new Op.Put("/r/c", bytes("3")), new Op.Delete("/r/a"),
                    new Op.Put("/elsewhere", bytes("y"))), List.of()).revision();
            long next = store.put("/r/d", bytes("4"));
            eventually().untilAsserted(() -> assertThat(heard).containsExactly(
                    "PUT /r/a=1@" + first, "PUT /r/b=2@" + first, "whole @" + first,
                    "PUT /r/c=3@" + live, "DELETE /r/a@" + live, "whole @" + live,
                    "PUT /r/d=4@" + next, "whole @" + next));
        }
    }

    /** A watch opened while events queue behind a busy listener still sees each event once, in order. */
    @Test
    void aWatchOpenedBehindABusyListenerSeesEachEventOnceInOrder() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long start = store.revision();
        try (Watch slow = store.watch("/w/", start, event -> {
            busy.countDown();
            awaitQuietly(release);
        })) {
            long first = store.put("/w/a", bytes("1"));
            assertThat(busy.await(15, TimeUnit.SECONDS)).isTrue();
            long second = store.put("/w/b", bytes("2"));
            EventRecorder recorder = new EventRecorder();
            try (Watch late = store.watch("/w/", start, recorder)) {
                long third = store.put("/w/c", bytes("3"));
                release.countDown();
                eventually().untilAsserted(() -> assertThat(recorder.summary())
                        .containsExactly("PUT /w/a=1@" + first, "PUT /w/b=2@" + second, "PUT /w/c=3@" + third));
            }
        } finally {
            release.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void watchFromTheCurrentRevisionSeesOnlyNewChanges() {
        store.put("/w/old", bytes("old"));
        EventRecorder recorder = new EventRecorder();
        try (Watch ignored = store.watch("/w/", store.revision(), recorder)) {
            long fresh = store.put("/w/new", bytes("new"));
            eventually().untilAsserted(() -> assertThat(recorder.summary()).containsExactly("PUT /w/new=new@" + fresh));
        }
    }

    @Test
    void watchOfAPrefixIgnoresOtherKeys() {
        EventRecorder recorder = new EventRecorder();
        EventRecorder sentinel = new EventRecorder();
        try (Watch ignored = store.watch("/w/in/", store.revision(), recorder);
                Watch alsoIgnored = store.watch("/w/", store.revision(), sentinel)) {
            store.put("/w/out", bytes("x"));
            store.put("/w/in", bytes("x"));
            long inside = store.put("/w/in/a", bytes("y"));
            store.put("/w/inside", bytes("z"));
            long last = store.put("/w/in/b", bytes("w"));
            eventually().untilAsserted(() -> assertThat(sentinel.events()).hasSize(5));
            eventually().untilAsserted(() -> assertThat(recorder.summary())
                    .containsExactly("PUT /w/in/a=y@" + inside, "PUT /w/in/b=w@" + last));
        }
    }

    @Test
    void closedWatchGetsNoMoreEvents() {
        EventRecorder recorder = new EventRecorder();
        EventRecorder sentinel = new EventRecorder();
        Watch watch = store.watch("/w/", store.revision(), recorder);
        try (Watch ignored = store.watch("/w/", store.revision(), sentinel)) {
            store.put("/w/before", bytes("1"));
            eventually().untilAsserted(() -> assertThat(recorder.events()).hasSize(1));
            watch.close();
            store.put("/w/after", bytes("2"));
            eventually().untilAsserted(() -> assertThat(sentinel.events()).hasSize(2));
            assertThat(recorder.events()).hasSize(1);
        }
    }

    @Test
    void watchOfACompactedRevisionFailsAndLaterRevisionsStillReplay() {
        store.put("/c/a", bytes("1"));
        store.put("/c/b", bytes("2"));
        long kept = store.put("/c/c", bytes("3"));
        long last = store.put("/c/d", bytes("4"));
        compact(store, kept);

        assertThatThrownBy(() -> store.watch("/c/", kept - 2, new EventRecorder()))
                .isInstanceOfSatisfying(CompactedException.class, e -> assertThat(e.compactRevision()).isEqualTo(kept));
        EventRecorder recorder = new EventRecorder();
        try (Watch ignored = store.watch("/c/", kept - 1, recorder)) {
            eventually().untilAsserted(() -> assertThat(recorder.summary())
                    .containsExactly("PUT /c/c=3@" + kept, "PUT /c/d=4@" + last));
        }
    }

    @Test
    void aListenerThatThrowsEndsItsWatchAndIsReported() {
        AtomicReference<RuntimeException> cancelledWith = new AtomicReference<>();
        EventRecorder recorder = new EventRecorder();
        RuntimeException failure = new IllegalStateException("listener broke");
        try (Watch ignored = store.watch("/w/", store.revision(), event -> {
            recorder.accept(event);
            throw failure;
        }, cancelledWith::set)) {
            store.put("/w/a", bytes("1"));
            eventually().untilAsserted(() -> assertThat(cancelledWith.get()).isSameAs(failure));
            store.put("/w/b", bytes("2"));
            EventRecorder sentinel = new EventRecorder();
            try (Watch alsoIgnored = store.watch("/w/", store.revision() - 1, sentinel)) {
                eventually().untilAsserted(() -> assertThat(sentinel.events()).hasSize(1));
            }
            assertThat(recorder.events()).hasSize(1);
        }
    }

    // ------------------------------------------------------------ leases

    @Test
    void keysOfAnExpiredLeaseAreDeletedWithDeleteEvents() {
        long lease = store.grantLease(leaseTtl());
        long put = store.put("/l/a", bytes("1"), lease);
        store.put("/l/b", bytes("2"), lease);
        store.put("/l/free", bytes("3"));
        assertThat(store.get("/l/a")).get().extracting(KeyValue::lease).isEqualTo(lease);
        EventRecorder recorder = new EventRecorder();
        try (Watch ignored = store.watch("/l/", put - 1, recorder)) {
            eventually().until(() -> {
                letTimePass(store, leaseTtl().dividedBy(4));
                return store.get("/l/a").isEmpty();
            });
            assertThat(store.get("/l/b")).isEmpty();
            assertThat(store.get("/l/free")).isPresent();
            eventually().untilAsserted(() -> assertThat(recorder.events()).hasSize(5));
            List<WatchEvent> deletes = recorder.events().subList(3, 5);
            assertThat(deletes).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
            assertThat(deletes).extracting(e -> e.kv().key()).containsExactlyInAnyOrder("/l/a", "/l/b");
        }
        assertThat(store.keepAlive(lease)).isFalse();
        assertThatThrownBy(() -> store.put("/l/c", bytes("4"), lease)).isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void keepAliveKeepsALeaseBeyondItsTtl() {
        long kept = store.grantLease(leaseTtl());
        long dropped = store.grantLease(leaseTtl());
        store.put("/l/kept", bytes("k"), kept);
        store.put("/l/dropped", bytes("d"), dropped);

        // Keep one lease alive at every step until the other has expired.
        eventually().until(() -> {
            assertThat(store.keepAlive(kept)).isTrue();
            letTimePass(store, leaseTtl().dividedBy(4));
            return store.get("/l/dropped").isEmpty();
        });
        assertThat(store.get("/l/kept")).isPresent();
        assertThat(store.keepAlive(kept)).isTrue();
        assertThat(store.keepAlive(dropped)).isFalse();
    }

    @Test
    void revokeDeletesTheLeasesKeysInOneRevision() {
        long lease = store.grantLease(Duration.ofMinutes(5));
        store.put("/l/a", bytes("1"), lease);
        store.put("/l/b", bytes("2"), lease);
        long before = store.revision();
        EventRecorder recorder = new EventRecorder();
        try (Watch ignored = store.watch("/l/", before, recorder)) {
            store.revokeLease(lease);
            assertThat(store.range("/l/")).isEmpty();
            assertThat(store.revision()).isEqualTo(before + 1);
            eventually().untilAsserted(() -> assertThat(recorder.summary())
                    .containsExactlyInAnyOrder("DELETE /l/a@" + (before + 1), "DELETE /l/b@" + (before + 1)));
        }
        assertThat(store.keepAlive(lease)).isFalse();
        store.revokeLease(lease);
        assertThat(store.revision()).isEqualTo(before + 1);
    }

    @Test
    void aPutWithoutALeaseDetachesTheKeyFromItsLease() {
        long lease = store.grantLease(Duration.ofMinutes(5));
        store.put("/l/a", bytes("1"), lease);
        store.put("/l/a", bytes("2"));
        store.revokeLease(lease);
        assertThat(store.get("/l/a")).get().satisfies(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("2");
            assertThat(kv.lease()).isZero();
        });
    }

    @Test
    void aPutWithAnUnknownLeaseFails() {
        assertThatThrownBy(() -> store.put("/l/a", bytes("1"), 123_456_789L))
                .isInstanceOfSatisfying(LeaseNotFoundException.class, e -> assertThat(e.leaseId()).isEqualTo(123_456_789L));
        assertThat(store.get("/l/a")).isEmpty();
    }

    // ------------------------------------------------------------ close

    @Test
    void closeEndsTheStoreAndIsIdempotent() {
        store.put("/x", bytes("1"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get("/x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.put("/x", bytes("2"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.watch("/", 0, event -> {})).isInstanceOf(IllegalStateException.class);
    }
}
