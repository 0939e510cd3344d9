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
