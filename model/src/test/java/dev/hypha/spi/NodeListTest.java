package dev.hypha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Node;
import dev.hypha.model.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeListTest {
    private static NodeSnapshot node(String id, long cpuUsed) {
        Node n = new Node(id, null, null, "eu", new Resources(4000, 8192, 0), 0, 0, null, null, null, null, null);
        return new NodeSnapshot(n, new Resources(cpuUsed, 0, 0), Map.of(), null);
    }

    private static List<NodeSnapshot> nodes(int count) {
        List<NodeSnapshot> out = new ArrayList<>();
        for (int k = 0; k < count; k++) out.add(node("n" + k, 0));
        return out;
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {0, 1, 63, 64, 65, 130, 1000})
    void itHoldsTheNodesInOrderAndEqualsAnyListOfThem(int count) {
        List<NodeSnapshot> plain = nodes(count);
        NodeList list = NodeList.of(plain);
        assertThat(list).hasSize(count).containsExactlyElementsOf(plain);
        assertThat(list).isEqualTo(plain);
        assertThat(list.hashCode()).isEqualTo(plain.hashCode());
        assertThat(list.chunkCount()).isEqualTo((count + NodeList.CHUNK - 1) / NodeList.CHUNK);
    }

    @Test
    void replacingOneNodeCopiesOnlyItsChunkAndLeavesTheOriginalAlone() {
        List<NodeSnapshot> plain = nodes(200);
        NodeList before = NodeList.of(plain);
        NodeSnapshot busy = node("n70", 3000);
        NodeList after = before.with(70, busy);

        assertThat(after.get(70)).isSameAs(busy);
        assertThat(before.get(70)).isSameAs(plain.get(70));
        for (int k = 0; k < 200; k++) {
            if (k != 70) assertThat(after.get(k)).isSameAs(plain.get(k));
        }
        assertThat(after.sharesChunk(before, 0)).isTrue();
        assertThat(after.sharesChunk(before, 1)).as("chunk of position 70").isFalse();
        assertThat(after.sharesChunk(before, 2)).isTrue();
        assertThat(after.sharesChunk(before, 3)).isTrue();
        assertThat(after.sharesChunk(before, 4)).as("past the end").isFalse();
    }

    @Test
    void aNodeListIsKeptAsItIsAndAnythingElseIsCopied() {
        NodeList list = NodeList.of(nodes(3));
        assertThat(NodeList.of(list)).isSameAs(list);
        assertThat(new ClusterSnapshot(list, Map.of(), 1).nodes()).isSameAs(list);
        List<NodeSnapshot> mutable = new ArrayList<>(nodes(3));
        ClusterSnapshot copied = new ClusterSnapshot(mutable, Map.of(), 1);
        mutable.clear();
        assertThat(copied.nodes()).hasSize(3);
    }

    @Test
    void itIsImmutableAndRejectsNullsAndBadIndexes() {
        NodeList list = NodeList.of(nodes(3));
        assertThatThrownBy(() -> list.add(node("x", 0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, node("x", 0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> list.with(-1, node("x", 0))).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> list.with(0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> NodeList.of(Arrays.asList(node("a", 0), null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("null");
    }
}
