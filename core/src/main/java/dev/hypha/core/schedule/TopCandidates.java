package dev.hypha.core.schedule;

import dev.hypha.spi.Decision;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The best K feasible nodes seen so far, in flat arrays: offering a node allocates nothing, and maps
 * of per-plugin scores are built only for the K kept when the decision is assembled.
 *
 * <p>Nodes are kept by position in the {@link NodeColumns}; a node's tie key comes from the
 * columns' id hash, and its id is read only when two candidates have the same total and the same
 * tie key (a 64-bit hash: practically never) and for the K kept at the end. Most nodes of a large
 * sample lose on their total alone, and not reading their ids saves a memory access each.
 */
final class TopCandidates {
    private final NodeColumns nodes;
    private final int capacity;
    private final int plugins;
    private final int[] positions;
    private final double[] totals;
    private final long[] ties;
    private final double[][] scores;
    private int size;
    private int worst = -1;

    TopCandidates(NodeColumns nodes, int capacity, int plugins) {
        this.nodes = nodes;
        this.capacity = capacity;
        this.plugins = plugins;
        this.positions = new int[capacity];
        this.totals = new double[capacity];
        this.ties = new long[capacity];
        this.scores = new double[capacity][plugins];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Offers the feasible node at {@code position} with its total and per-plugin scores. */
    void offer(int position, double total, long seed, double[] pluginScores) {
        int slot;
        if (size < capacity) {
            slot = size++;
        } else {
            if (total < totals[worst]) return;
            long tie = Ranking.tieBreak(seed, nodes.idHash(position));
            if (!better(total, tie, position, totals[worst], ties[worst], positions[worst])) return;
            slot = worst;
        }
        positions[slot] = position;
        totals[slot] = total;
        ties[slot] = Ranking.tieBreak(seed, nodes.idHash(position));
        System.arraycopy(pluginScores, 0, scores[slot], 0, plugins);
        if (size == capacity) worst = findWorst();
    }

    /** {@link Ranking#better}, reading the ids only when totals and tie keys are equal. */
    private boolean better(double totalA, long tieA, int a, double totalB, long tieB, int b) {
        if (totalA != totalB) return totalA > totalB;
        if (tieA != tieB) return tieA < tieB;
        return nodes.node(a).id().compareTo(nodes.node(b).id()) < 0;
    }

    private int findWorst() {
        int w = 0;
        for (int k = 1; k < size; k++) {
            if (better(totals[w], ties[w], positions[w], totals[k], ties[k], positions[k])) w = k;
        }
        return w;
    }

    /** The kept candidates, best first, with each plugin's score under its name. */
    List<Decision.CandidateScore> bestFirst(String[] pluginNames) {
        // Insertion sort of at most MAX_TOP_CANDIDATES indexes: no boxing, no comparator.
        int[] order = new int[size];
        for (int k = 0; k < size; k++) {
            int j = k;
            while (j > 0 && better(totals[k], ties[k], positions[k], totals[order[j - 1]], ties[order[j - 1]],
                    positions[order[j - 1]])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = k;
        }
        List<Decision.CandidateScore> out = new ArrayList<>(size);
        for (int k : order) {
            @SuppressWarnings("unchecked")
            Map.Entry<String, Double>[] entries = new Map.Entry[plugins];
            for (int p = 0; p < plugins; p++) entries[p] = new AbstractMap.SimpleImmutableEntry<>(pluginNames[p], scores[k][p]);
            // An immutable map already: the record keeps it without copying.
            out.add(new Decision.CandidateScore(nodes.node(positions[k]).id(), totals[k], Map.ofEntries(entries)));
        }
        return out;
    }
}
