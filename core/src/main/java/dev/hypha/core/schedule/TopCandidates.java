package dev.hypha.core.schedule;

import dev.hypha.spi.Decision;
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
    /** {@code totals[worst]} once the candidates are full. */
    private double worstTotal;

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

    /**
     * Offers the feasible nodes at {@code found[0 .. count - 1]} with their totals {@code sums},
     * in that order: {@link #offer} for each, with those that cannot enter left out by their
     * total alone.
     */
    void offerAll(int[] found, double[] sums, int count, long seed, double[][] pluginScores, int from) {
        for (int i = 0; i < count; i++) {
            // Most nodes of a large sample lose to the worst kept one on their total: no call for them.
            if (size == capacity && sums[i] < worstTotal) continue;
            offer(found[i], sums[i], seed, pluginScores, i, from);
        }
    }

    /**
     * Offers the feasible node at {@code position} with its total; its scores of plugins
     * {@code from} onwards are {@code pluginScores[p][column]}, copied only when the node is kept
     * (those before come from {@link #scoreKept}).
     */
    void offer(int position, double total, long seed, double[][] pluginScores, int column, int from) {
        int slot;
        long tie;
        if (size < capacity) {
            slot = size++;
            tie = Ranking.tieBreak(seed, nodes.idHash(position));
        } else {
            if (total < totals[worst]) return;
            tie = Ranking.tieBreak(seed, nodes.idHash(position));
            if (!better(total, tie, position, totals[worst], ties[worst], positions[worst])) return;
            slot = worst;
        }
        positions[slot] = position;
        totals[slot] = total;
        ties[slot] = tie;
        double[] kept = scores[slot];
        for (int p = from; p < plugins; p++) kept[p] = pluginScores[p][column];
        if (size == capacity) {
            worst = findWorst();
            worstTotal = totals[worst];
        }
    }

    /** Sets plugin {@code p}'s score of every kept node from {@code score}. */
    void scoreKept(int p, NodeColumns.NodeFunction score) {
        for (int slot = 0; slot < size; slot++) scores[slot][p] = score.at(nodes, positions[slot]);
    }

    /** {@link Ranking#better}, reading the ids only when totals and tie keys are equal. */
    private boolean better(double totalA, long tieA, int a, double totalB, long tieB, int b) {
        if (totalA != totalB) return totalA > totalB;
        if (tieA != tieB) return tieA < tieB;
        return nodes.id(a).compareTo(nodes.id(b)) < 0;
    }

    private int findWorst() {
        int w = 0;
        for (int k = 1; k < size; k++) {
            if (better(totals[w], ties[w], positions[w], totals[k], ties[k], positions[k])) w = k;
        }
        return w;
    }

    /** The position of the best kept candidate: the first of {@link #bestFirst}. Requires one. */
    int best() {
        int b = 0;
        for (int k = 1; k < size; k++) {
            if (better(totals[k], ties[k], positions[k], totals[b], ties[b], positions[b])) b = k;
        }
        return positions[b];
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
        Decision.CandidateScore[] out = new Decision.CandidateScore[size];
        Double[] values = new Double[plugins];
        for (int r = 0; r < size; r++) {
            int k = order[r];
            for (int p = 0; p < plugins; p++) values[p] = scores[k][p];
            // Immutable already: the records keep the map and the list without copying them.
            out[r] = new Decision.CandidateScore(nodes.id(positions[k]), totals[k], immutableMap(pluginNames, values));
        }
        return List.of(out);
    }

    /**
     * An immutable map of {@code keys[i]} to {@code values[i]}, without an entry object per pair:
     * the {@code Map.of} overload for up to ten pairs, entries beyond that.
     */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> immutableMap(String[] k, V[] v) {
        return (Map<String, V>) switch (k.length) {
            case 0 -> Map.of();
            case 1 -> Map.of(k[0], v[0]);
            case 2 -> Map.of(k[0], v[0], k[1], v[1]);
            case 3 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2]);
            case 4 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3]);
            case 5 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3], k[4], v[4]);
            case 6 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3], k[4], v[4], k[5], v[5]);
            case 7 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3], k[4], v[4], k[5], v[5], k[6], v[6]);
            case 8 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3], k[4], v[4], k[5], v[5], k[6], v[6],
                    k[7], v[7]);
            case 9 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3], k[4], v[4], k[5], v[5], k[6], v[6],
                    k[7], v[7], k[8], v[8]);
            case 10 -> Map.of(k[0], v[0], k[1], v[1], k[2], v[2], k[3], v[3], k[4], v[4], k[5], v[5], k[6], v[6],
                    k[7], v[7], k[8], v[8], k[9], v[9]);
            default -> {
                Map.Entry<String, V>[] entries = new Map.Entry[k.length];
                for (int i = 0; i < k.length; i++) entries[i] = Map.entry(k[i], v[i]);
                yield Map.ofEntries(entries);
            }
        };
    }
}
