package dev.hypha.server.ha;

import static dev.hypha.testkit.fixtures.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.server.InstanceIndex;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import dev.hypha.store.kv.ForwardingKvStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's in-memory index of instances by node, on a real SQLite store whose watches a test
 * can end: an agent that applies the change sets it is given always holds exactly its node's
 * assignments; an agent's own status writes are no change for it; an instance that moves leaves
 * one node and joins the other; a revision the index cannot vouch for gets a whole list; and
 * when the store ends the watch the index reads everything again.
 */
class InstanceIndexTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private EndingWatchesStore kv;
    private StateStore store;
    private InstanceIndex index;

    @BeforeEach
    void open() {
        kv = new EndingWatchesStore(new SqliteKvStore(dir.resolve("state.db")));
        store = new StateStore(kv);
        index = new InstanceIndex(store);
    }

    @AfterEach
    void close() {
        try {
            index.close();
        } finally {
            kv.close();
        }
    }

    /** Waits until the index has applied every write made so far. */
    private void caughtUp() throws InterruptedException {
        assertThat(index.awaitRevision(kv.revision(), PATIENCE)).as("the index reached the store's revision").isTrue();
    }

    private static Instance placed(String id, String node) {
        return instance(id).on(node).pending().build();
    }

    private static InstanceStatusReport running(Instance i, long pid) {
        return new InstanceStatusReport(i.id(), InstanceState.RUNNING, i.id(), pid, 0, null, null, null, null);
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).toList();
    }

    @Test
    void aWholeListFirstThenOnlyTheAssignmentsThatChanged() throws InterruptedException {
        store.instances().put("web-1", placed("web-1", "n1"));
        store.instances().put("web-2", placed("web-2", "n1"));
        store.instances().put("web-3", placed("web-3", "n2"));
        caughtUp();

        InstanceIndex.Changes first = index.changes("n1", -1);
        assertThat(first.delta()).isFalse();
        assertThat(ids(first.instances())).containsExactly("web-1", "web-2");

        store.instances().modify("web-1", i -> i.withDesired(DesiredState.STOP, "scaled down"));
        store.instances().put("web-4", placed("web-4", "n1"));
        store.instances().delete("web-2");
        caughtUp();

        InstanceIndex.Changes next = index.changes("n1", first.revision());
        assertThat(next.delta()).isTrue();
        assertThat(ids(next.instances())).containsExactly("web-1", "web-4");
        assertThat(next.instances().getFirst().desired()).isEqualTo(DesiredState.STOP);
        assertThat(next.removed()).containsExactly("web-2");
        assertThat(index.changes("n2", first.revision()).instances()).as("nothing of n2 changed").isEmpty();
    }

    @Test
    void anAgentsOwnStatusWritesAreNoChangeForIt() throws InterruptedException {
        Instance web = placed("web-1", "n1");
        store.instances().put("web-1", web);
        caughtUp();
        long seen = index.changes("n1", -1).revision();
        CompletableFuture<Void> woken = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                index.awaitChange("n1", seen, Duration.ofMinutes(1));
                woken.complete(null);
            } catch (InterruptedException e) {
                woken.completeExceptionally(e);
            }
        });

        store.instances().modify("web-1", i -> i.withObserved(running(i, 4242)));
        caughtUp();

        InstanceIndex.Changes after = index.changes("n1", seen);
        assertThat(after.delta()).isTrue();
        assertThat(after.instances()).isEmpty();
        assertThat(after.revision()).isGreaterThan(seen);
        assertThat(index.get("web-1")).get().extracting(v -> v.value().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(woken).as("a status write wakes no agent").isNotDone();

        store.instances().modify("web-1", i -> i.withDesired(DesiredState.STOP, "deleted"));
        await().atMost(PATIENCE).until(woken::isDone);
    }

    @Test
    void anInstanceMovedToAnotherNodeLeavesTheFirstAndJoinsTheSecond() throws InterruptedException {
        Instance web = placed("web-1", "n1");
        store.instances().put("web-1", web);
        caughtUp();
        long seen = index.revision();

        store.instances().put("web-1", instance("web-1").on("n2").pending().build());
        caughtUp();

        assertThat(index.changes("n1", seen).removed()).containsExactly("web-1");
        assertThat(index.changes("n1", seen).instances()).isEmpty();
        assertThat(ids(index.changes("n2", seen).instances())).containsExactly("web-1");
    }

    @Test
    void aRevisionTheIndexCannotVouchForGetsAWholeList() throws InterruptedException {
        store.instances().put("web-1", placed("web-1", "n1"));
        caughtUp();

        InstanceIndex.Changes fromTheFuture = index.changes("n1", index.revision() + 100);
        assertThat(fromTheFuture.delta()).isFalse();
        assertThat(ids(fromTheFuture.instances())).containsExactly("web-1");
        InstanceIndex.Changes fromBefore = index.changes("n1", index.horizon() - 1);
        assertThat(fromBefore.delta()).isFalse();
        assertThat(ids(fromBefore.instances())).containsExactly("web-1");
    }

    @Test
    void whenTheStoreEndsTheWatchTheIndexReadsEverythingAgain() throws InterruptedException {
        store.instances().put("web-1", placed("web-1", "n1"));
        caughtUp();
        InstanceIndex.Changes before = index.changes("n1", -1);
        int watches = kv.watchesOpened();

        kv.endWatches(new KvStore.CompactedException(before.revision()));
        store.instances().put("web-2", placed("web-2", "n1"));
        store.instances().delete("web-1");

        await().atMost(PATIENCE).until(() -> kv.watchesOpened() > watches
                && ids(index.changes("n1", -1).instances()).equals(List.of("web-2")));
        caughtUp();
        // Whether the index read everything again before or after the writes, an agent that held
        // the answer from before the gap holds the right instances after applying the next one.
        InstanceIndex.Changes afterTheGap = index.changes("n1", before.revision());
        Map<String, Instance> view = new TreeMap<>();
        if (afterTheGap.delta()) before.instances().forEach(i -> view.put(i.id(), i));
        afterTheGap.instances().forEach(i -> view.put(i.id(), i));
        afterTheGap.removed().forEach(view::remove);
        assertThat(view.keySet()).containsExactly("web-2");

        store.instances().put("web-3", placed("web-3", "n1"));
        caughtUp();
        InstanceIndex.Changes next = index.changes("n1", afterTheGap.revision());
        assertThat(next.delta()).isTrue();
        assertThat(ids(next.instances())).containsExactly("web-3");
    }

    @Test
    void aControllerPassReadsEveryInstanceInIdOrderAsOfItsRevision() throws InterruptedException {
        store.instances().put("web-2", placed("web-2", "n2"));
        store.instances().put("web-1", placed("web-1", "n1"));
        long revision = kv.revision();

        List<Versioned<Instance>> read = index.instances(store, revision);

        assertThat(read).extracting(v -> v.value().id()).containsExactly("web-1", "web-2");
        assertThat(read).isEqualTo(store.instances().list());
    }

    /**
     * Passes a store's watch events on only when the test says so, one at a time, so a test can
     * look at the index between two events of one transaction.
     */
    private static final class HeldWatchStore extends ForwardingKvStore {
        private final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

        HeldWatchStore(KvStore store) {
            super(store);
        }

        /** Passes on the next {@code n} held deliveries (events, and "revision whole" calls). */
        void release(int n) throws InterruptedException {
            for (int k = 0; k < n; k++) {
                Runnable next = held.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(next).as("a held delivery").isNotNull();
                next.run();
            }
        }

        @Override
        public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener) {
            return watch(prefix, afterRevision, listener, e -> { });
        }

        @Override
        public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
                Consumer<RuntimeException> onCancelled) {
            RevisionListener inner = (RevisionListener) listener;
            return delegate.watch(prefix, afterRevision, new RevisionListener() {
                @Override
                public void accept(WatchEvent e) {
                    held.add(() -> inner.accept(e));
                }

                @Override
                public void revisionDelivered(long revision) {
                    held.add(() -> inner.revisionDelivered(revision));
                }
            }, onCancelled);
        }
    }

    /** Runs {@code beforeFirstRange} once, just before the first read of a whole prefix. */
    private static final class WriteBeforeRangeStore extends ForwardingKvStore {
        private Runnable beforeFirstRange;

        WriteBeforeRangeStore(KvStore store, Runnable beforeFirstRange) {
            super(store);
            this.beforeFirstRange = beforeFirstRange;
        }

        @Override
        public List<KeyValue> range(String prefix) {
            Runnable write = beforeFirstRange;
            beforeFirstRange = null;
            if (write != null) write.run();
            return delegate.range(prefix);
        }
    }

    /**
     * Instances that change while the index is first read (after it took the store's revision,
     * before it read the instances): an agent that held the node's instances from before still
     * holds exactly the right ones after applying the index's answer.
     */
    @Test
    void changesWhileTheIndexIsFirstReadAreNotLost() throws InterruptedException {
        store.instances().put("web-1", placed("web-1", "n1"));
        long agentRevision = kv.revision();
        Map<String, Instance> view = new TreeMap<>(Map.of("web-1", placed("web-1", "n1")));
        WriteBeforeRangeStore racing = new WriteBeforeRangeStore(kv, () -> {
            store.instances().put("web-2", placed("web-2", "n1"));
            store.instances().delete("web-1");
        });

        try (InstanceIndex fresh = new InstanceIndex(new StateStore(racing))) {
            assertThat(fresh.awaitRevision(kv.revision(), PATIENCE)).isTrue();
            InstanceIndex.Changes answer = fresh.changes("n1", agentRevision);
            if (!answer.delta()) view.clear();
            answer.instances().forEach(i -> view.put(i.id(), i));
            answer.removed().forEach(view::remove);
            assertThat(view.keySet()).containsExactly("web-2");
        }
    }

    /**
     * An answer given between two events of one transaction holds none of it and claims only the
     * revision before: an agent asking from there gets the whole transaction next time.
     */
    @Test
    void aTransactionHalfDeliveredIsNotInAnyAnswerYet() throws InterruptedException {
        HeldWatchStore held = new HeldWatchStore(new SqliteKvStore(dir.resolve("held.db")));
        StateStore heldStore = new StateStore(held);
        try (InstanceIndex heldIndex = new InstanceIndex(heldStore)) {
            long before = heldIndex.revision();
            List<KvStore.Op> ops = new ArrayList<>();
            for (String id : List.of("web-1", "web-2", "web-3")) ops.add(heldStore.instances().putOp(id, placed(id, "n1")));
            long txn = held.txn(List.of(), ops, List.of()).revision();

            held.release(2); // two of the three events, not the third nor "whole"
            InstanceIndex.Changes half = heldIndex.changes("n1", before);
            assertThat(half.revision()).isEqualTo(before);
            assertThat(half.instances()).isEmpty();

            held.release(2); // the third event, then "whole"
            InstanceIndex.Changes whole = heldIndex.changes("n1", half.revision());
            assertThat(whole.revision()).isEqualTo(txn);
            assertThat(ids(whole.instances())).containsExactly("web-1", "web-2", "web-3");
        } finally {
            held.close();
        }
    }

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 8).boxed();
    }

    /**
     * Random writes (placements, status reports, stops, moves, deletions) over three nodes, with
     * each node's agent asking now and then from the revision of its last answer: after every
     * answer, what the agent holds is exactly what the store assigns to its node.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anAgentApplyingItsChangeSetsHoldsExactlyItsAssignments(long seed) throws InterruptedException {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<String> nodes = List.of("n1", "n2", "n3");
        Map<String, Map<String, Instance>> held = new HashMap<>();
        Map<String, Long> asked = new HashMap<>();
        for (String n : nodes) {
            held.put(n, new TreeMap<>());
            asked.put(n, -1L);
        }
        int next = 0;
        for (int step = 0; step < 120; step++) {
            List<Instance> all = store.instances().values();
            int op = random.nextInt(6);
            if (op == 0 || all.isEmpty()) {
                String id = "web-" + next++;
                store.instances().put(id, placed(id, nodes.get(random.nextInt(nodes.size()))));
            } else {
                Instance victim = all.get(random.nextInt(all.size()));
                switch (op) {
                    case 1, 2 -> store.instances().modify(victim.id(), i -> i.withObserved(running(i, random.nextLong(1, 1000))));
                    case 3 -> store.instances().modify(victim.id(), i -> i.withDesired(DesiredState.STOP, "stop"));
                    case 4 -> store.instances().put(victim.id(), instance(victim.id())
                            .on(nodes.get(random.nextInt(nodes.size()))).pending().build());
                    default -> store.instances().delete(victim.id());
                }
            }
            if (random.nextInt(3) > 0) continue;
            caughtUp();
            String node = nodes.get(random.nextInt(nodes.size()));
            InstanceIndex.Changes c = index.changes(node, asked.get(node));
            Map<String, Instance> view = held.get(node);
            if (!c.delta()) view.clear();
            for (Instance i : c.instances()) view.put(i.id(), i);
            c.removed().forEach(view::remove);
            asked.put(node, c.revision());

            Map<String, Instance> truth = new TreeMap<>();
            for (Instance i : store.instances().values()) {
                if (node.equals(i.nodeId())) truth.put(i.id(), i);
            }
            assertThat(view.keySet()).as("seed %d, step %d: the ids %s holds", seed, step, node)
                    .containsExactlyElementsOf(truth.keySet());
            List<String> stale = new ArrayList<>();
            truth.forEach((id, i) -> {
                Instance h = view.get(id);
                if (h.desired() != i.desired() || !h.spec().equals(i.spec()) || !node.equals(h.nodeId())) stale.add(id);
            });
            assertThat(stale).as("seed %d, step %d: assignments %s holds out of date", seed, step, node).isEmpty();
        }
    }
}
