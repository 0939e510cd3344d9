package dev.hypha.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.Node;
import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.SqliteKvStore;
import dev.hypha.testkit.fixtures.NodeBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reusing decoded records while a key is unchanged, and writes that span records. */
class RepositoryTest {
    @TempDir Path dir;
    SqliteKvStore kv;
    StateStore store;

    @BeforeEach
    void open() {
        kv = new SqliteKvStore(dir.resolve("state.db"));
        store = new StateStore(kv);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anUnchangedRecordIsDecodedOnceAndAChangedOneAgain() {
        store.nodes().put("n1", NodeBuilder.node("n1").build());
        Versioned<Node> first = store.nodes().get("n1").orElseThrow();
        assertThat(store.nodes().get("n1").orElseThrow()).isSameAs(first);
        assertThat(store.nodes().list()).singleElement().isSameAs(first);

        Node bigger = NodeBuilder.node("n1").cpu(8000).build();
        store.nodes().update("n1", bigger, first.modRevision());
        Versioned<Node> second = store.nodes().get("n1").orElseThrow();
        assertThat(second.value()).isEqualTo(bigger);
        assertThat(second.modRevision()).isGreaterThan(first.modRevision());

        // Deleted and created again with the same value: a new revision, decoded again.
        store.nodes().delete("n1");
        assertThat(store.nodes().list()).isEmpty();
        store.nodes().put("n1", bigger);
        assertThat(store.nodes().get("n1").orElseThrow().modRevision()).isGreaterThan(second.modRevision());
    }

    @Test
    void aRememberingRepositoryHandsBackWhatItWroteAndParsesWhatOthersWrote() {
        Repository<Node> remembering = new Repository<>(kv, "/test/nodes/", Node.class).rememberingWrites();
        Node n1 = NodeBuilder.node("n1").build();
        remembering.put("n1", n1);
        Versioned<Node> readBack = remembering.get("n1").orElseThrow();
        assertThat(readBack.value()).as("its own bytes: the value it encoded").isSameAs(n1);

        // Written by another process (another repository over the same store): parsed, and equal.
        Node bigger = NodeBuilder.node("n1").cpu(8000).build();
        remembering.put("n1", n1);
        new Repository<>(kv, "/test/nodes/", Node.class).put("n1", bigger);
        Versioned<Node> theirs = remembering.get("n1").orElseThrow();
        assertThat(theirs.value()).isEqualTo(bigger).isNotSameAs(bigger);

        // Through a guarded view and a multi-record commit, as the controller writes.
        Node n2 = NodeBuilder.node("n2").build();
        Repository<Node> guarded = remembering.guardedBy(KvStore.Compare.absent("/test/lock"));
        assertThat(store.commit(List.of(guarded.absent("n2")), List.of(guarded.putOp("n2", n2)))).isTrue();
        assertThat(remembering.list()).extracting(Versioned::value).containsExactlyInAnyOrder(bigger, n2)
                .anySatisfy(v -> assertThat(v).isSameAs(n2));
    }

    @Test
    void theStoresWorkloadsAndInstancesReadBackEqualToWhatWasWritten() {
        var spec = new dev.hypha.model.WorkloadSpec("web", "busybox", List.of("sleep", "1"), 2,
                new dev.hypha.model.Resources(100, 64, 0), dev.hypha.model.RestartPolicy.ALWAYS, null, null, null, null);
        var w = dev.hypha.model.Workload.create(spec, java.time.Instant.parse("2025-06-01T12:00:00.250Z"), null);
        var i = dev.hypha.model.Instance.assign("web-abcde", w, "n1", java.time.Instant.parse("2025-06-01T12:00:01Z"));
        store.workloads().put("web", w);
        store.instances().put(i.id(), i);
        // What was remembered is what parsing the stored bytes gives.
        assertThat(dev.hypha.model.Json.read(kv.get(store.workloads().key("web")).orElseThrow().value(),
                dev.hypha.model.Workload.class)).isEqualTo(store.workloads().value("web").orElseThrow());
        assertThat(dev.hypha.model.Json.read(kv.get(store.instances().key(i.id())).orElseThrow().value(),
                dev.hypha.model.Instance.class)).isEqualTo(store.instances().value(i.id()).orElseThrow());
    }

    @Test
    void aViewOverAnotherClientSharesTheDecodedRecordsAndWritesThroughThatClient() {
        store.nodes().put("n1", NodeBuilder.node("n1").build());
        Versioned<Node> decoded = store.nodes().get("n1").orElseThrow();
        List<String> written = new java.util.ArrayList<>();
        KvStore recording = (KvStore) java.lang.reflect.Proxy.newProxyInstance(KvStore.class.getClassLoader(),
                new Class<?>[] {KvStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("txn") || method.getName().equals("put")) written.add(method.getName());
                    try {
                        return method.invoke(kv, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        StateStore view = store.over(recording);
        assertThat(view.nodes().get("n1").orElseThrow()).as("decoded once, for both").isSameAs(decoded);

        Node n2 = NodeBuilder.node("n2").build();
        assertThat(view.commit(List.of(view.nodes().absent("n2")), List.of(view.nodes().putOp("n2", n2)))).isTrue();
        assertThat(written).isNotEmpty();
        assertThat(store.nodes().value("n2")).contains(n2);
    }

    @Test
    void createEncodedReturnsTheStoredJsonOnceAndNothingForAnExistingRecord() {
        Node n1 = NodeBuilder.node("n1").build();
        byte[] json = store.nodes().createEncoded("n1", n1).orElseThrow();
        assertThat(json).isEqualTo(kv.get(store.nodes().key("n1")).orElseThrow().value())
                .isEqualTo(dev.hypha.model.Json.bytes(n1));
        assertThat(store.nodes().createEncoded("n1", NodeBuilder.node("n1").cpu(8000).build())).isEmpty();
        assertThat(store.nodes().value("n1")).contains(n1);
    }

    @Test
    void aViewGuardedByAFailingConditionWritesNothing() {
        StateStore fenced = store.guardedBy(KvStore.Compare.absent("/hypha/leader"));
        kv.put("/hypha/leader", new byte[] {1}, 0);
        boolean written = fenced.commit(List.of(fenced.nodes().absent("n1")),
                List.of(fenced.nodes().putOp("n1", NodeBuilder.node("n1").build()),
                        fenced.nodes().putOp("n2", NodeBuilder.node("n2").build())));
        assertThat(written).isFalse();
        assertThat(store.nodes().list()).isEmpty();

        kv.delete("/hypha/leader");
        assertThat(fenced.commit(List.of(fenced.nodes().absent("n1")),
                List.of(fenced.nodes().putOp("n1", NodeBuilder.node("n1").build()),
                        fenced.nodes().putOp("n2", NodeBuilder.node("n2").build())))).isTrue();
        assertThat(store.nodes().list()).hasSize(2);
        assertThat(fenced.commit(List.of(fenced.nodes().absent("n1")),
                List.of(fenced.nodes().deleteOp("n2")))).as("n1 exists now").isFalse();
        assertThat(store.nodes().list()).hasSize(2);
    }
}
