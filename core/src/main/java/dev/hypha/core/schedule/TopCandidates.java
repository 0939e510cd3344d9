package dev.hypha.core.schedule;

import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The best K feasible nodes seen so far, in flat arrays: offering a node allocates nothing, and maps
 * of per-plugin scores are built only for the K kept when the decision is assembled.
 */
final class TopCandidates {
    private final int capacity;
    private final int plugins;
    private final String[] ids;
    private final double[] totals;
    private final long[] ties;
    private final double[][] scores;
    private int size;
    private int worst = -1;

    TopCandidates(int capacity, int plugins) {
        this.capacity = capacity;
        this.plugins = plugins;
        this.ids = new String[capacity];
        this.totals = new double[capacity];
        this.ties = new long[capacity];
        this.scores = new double[capacity][plugins];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Offers a feasible node. The node's id and tie key are read only when it may be kept: most
     * nodes of a large sample lose on their total alone, and skipping the id saves a memory access.
     */
    void offer(NodeSnapshot node, double total, long seed, double[] pluginScores) {
        int slot;
        if (size < capacity) {
            slot = size++;
        } else {
            if (total < totals[worst]) return;
            String id = node.id();
            long tie = Ranking.tieBreak(seed, id);
            if (!Ranking.better(total, tie, id, totals[worst], ties[worst], ids[worst])) return;
            slot = worst;
        }
        String id = node.id();
        ids[slot] = id;
        totals[slot] = total;
        ties[slot] = Ranking.tieBreak(seed, id);
        System.arraycopy(pluginScores, 0, scores[slot], 0, plugins);
        if (size == capacity) worst = findWorst();
    }

    private int findWorst() {
        int w = 0;
        for (int k = 1; k < size; k++) {
            if (Ranking.better(totals[w], ties[w], ids[w], totals[k], ties[k], ids[k])) w = k;
        }
        return w;
    }

    /** The kept candidates, best first, with each plugin's score under its name. */
    List<Decision.CandidateScore> bestFirst(String[] pluginNames) {
        Integer[] order = new Integer[size];
        for (int k = 0; k < size; k++) order[k] = k;
        java.util.Arrays.sort(order, (a, b) -> a.equals(b) ? 0
                : Ranking.better(totals[a], ties[a], ids[a], totals[b], ties[b], ids[b]) ? -1 : 1);
        List<Decision.CandidateScore> out = new ArrayList<>(size);
        for (int k : order) {
            Map<String, Double> byPlugin = new HashMap<>();
            for (int p = 0; p < plugins; p++) byPlugin.put(pluginNames[p], scores[k][p]);
            out.add(new Decision.CandidateScore(ids[k], totals[k], byPlugin));
        }
        return out;
    }
}
