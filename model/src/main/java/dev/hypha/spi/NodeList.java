package dev.hypha.spi;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list of node snapshots kept in chunks of {@value #CHUNK} nodes, so that the list
 * with one node replaced ({@link #with}) shares every other chunk with the original.
 *
 * <p>Why: a controller pass places replicas one after another, and each placement needs a
 * {@link ClusterSnapshot} that holds the ones before it. With a flat list each such snapshot
 * copies every node reference; measured at 5,000 nodes that copy (and the scan that finds what
 * changed) took longer than scheduling the replica. Here a replacement copies one chunk and the
 * chunk table — about 140 references at 5,000 nodes — and {@link #sharesChunk} lets a reader find
 * the changed chunks without looking at the nodes. {@link ClusterSnapshot} keeps a NodeList as it
 * is instead of copying it.
 */
public final class NodeList extends AbstractList<NodeSnapshot> implements RandomAccess {
    /** Nodes per chunk. */
    public static final int CHUNK = 64;
    private static final int SHIFT = 6;
    private static final int MASK = CHUNK - 1;
    private static final NodeList EMPTY = new NodeList(new NodeSnapshot[0][], 0);

    private final NodeSnapshot[][] chunks;
    private final int size;

    private NodeList(NodeSnapshot[][] chunks, int size) {
        this.chunks = chunks;
        this.size = size;
    }

    /**
     * The nodes of {@code nodes} in a NodeList: {@code nodes} itself when it is one, else a copy.
     *
     * @throws NullPointerException when an element is null (as {@link List#copyOf})
     */
    public static NodeList of(List<NodeSnapshot> nodes) {
        if (nodes instanceof NodeList list) return list;
        int n = nodes.size();
        if (n == 0) return EMPTY;
        NodeSnapshot[][] chunks = new NodeSnapshot[(n + MASK) >>> SHIFT][];
        int k = 0;
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = new NodeSnapshot[Math.min(CHUNK, n - (c << SHIFT))];
        }
        for (NodeSnapshot node : nodes) {
            chunks[k >>> SHIFT][k & MASK] = Objects.requireNonNull(node, "a node snapshot in the list is null");
            k++;
        }
        if (k != n) throw new IllegalStateException("the list changed while it was copied");
        return new NodeList(chunks, n);
    }

    /** This list with the node at {@code index} replaced: one chunk is copied, the others are shared. */
    public NodeList with(int index, NodeSnapshot node) {
        Objects.checkIndex(index, size);
        Objects.requireNonNull(node, "node");
        NodeSnapshot[][] table = chunks.clone();
        NodeSnapshot[] chunk = table[index >>> SHIFT].clone();
        chunk[index & MASK] = node;
        table[index >>> SHIFT] = chunk;
        return new NodeList(table, size);
    }

    @Override
    public NodeSnapshot get(int index) {
        Objects.checkIndex(index, size);
        return chunks[index >>> SHIFT][index & MASK];
    }

    @Override
    public int size() {
        return size;
    }

    /** Chunks in this list: positions {@code c * CHUNK} up to {@code (c + 1) * CHUNK - 1} are chunk c. */
    public int chunkCount() {
        return chunks.length;
    }

    /**
     * Whether chunk {@code c} is the very same in this list and in {@code other} — then its nodes
     * are the same records. False does not mean a node differs, only that the chunk was copied.
     */
    public boolean sharesChunk(NodeList other, int c) {
        return c < chunks.length && c < other.chunks.length && chunks[c] == other.chunks[c];
    }
}
