package dev.hypha.core.reputation;

import dev.hypha.model.InvalidSpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Global trust by EigenTrust (Kamvar, Schlosser and Garcia-Molina, 2003): the stationary vector
 * of a random walk over normalised local trust, restarted at pre-trusted peers, with each row
 * discounted by the observer's credibility.
 *
 * <pre>
 * c_ij   = max(s_ij, 0) / sum_k max(s_ik, 0)        (how much i trusts j; row is p if i trusts nobody)
 * row_i  = k_i c_i + (1 - k_i) p                      (k_i = credibility of i in 0..1, 1 if not given)
 * t(0)   = p                                          (p uniform over the pre-trusted peers)
 * t(n+1) = (1 - a) ROW^T t(n) + a p                   (a = damping, e.g. 0.15)
 * </pre>
 *
 * <p>Why it resists a clique: trust enters the walk only at the pre-trusted peers and flows along
 * edges of positive experience. A clique that praises only itself circulates just the trust honest
 * peers sent it; with none sent, it holds nothing. The credibility term closes the remaining gap,
 * a clique of good hosts that lie: whatever trust such a clique earns by its work returns to the
 * anchors in proportion to how much its reports contradict theirs, so it cannot hoard it.
 *
 * <p>Pure and deterministic: peers are processed in sorted order, so equal inputs give bit-equal
 * outputs. Cost per iteration is linear in the number of positive local trust values.
 */
public final class EigenTrust {
    private EigenTrust() {}

    /**
     * Global trust per peer, summing to 1.
     *
     * @param iterations power iterations run
     * @param converged  whether the L1 change fell below the tolerance within the iteration limit
     */
    public record Result(SortedMap<String, Double> trust, int iterations, boolean converged) {
        public Result {
            trust = Collections.unmodifiableSortedMap(new TreeMap<>(trust));
        }

        public double of(String peer) {
            return trust.getOrDefault(peer, 0.0);
        }

        /** The largest trust of any peer (the reference for voice weights). */
        public double max() {
            return trust.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    /** Plain EigenTrust: {@link #compute(Map, Map, Set, Set, double, int, double)} with every credibility 1. */
    public static Result compute(Map<String, Map<String, Double>> local, Set<String> peers, Set<String> preTrusted,
                                 double damping, int maxIterations, double tolerance) {
        return compute(local, Map.of(), peers, preTrusted, damping, maxIterations, tolerance);
    }

    /**
     * Runs the power iteration.
     *
     * @param local       raw local trust s_ij of observer i in peer j (values of 0 or less and
     *                    self-trust are ignored)
     * @param credibility k_i per observer, clamped to 0..1; observers not in the map have 1
     * @param peers       every peer to rank (observers, subjects and pre-trusted peers are added)
     * @param preTrusted  peers trusted a priori (the servers); when none of them is a peer, the
     *                    restart is uniform over all peers (plain PageRank-like, weaker against cliques)
     * @param damping     probability a of restarting at the pre-trusted peers, in (0, 1]
     */
    public static Result compute(Map<String, Map<String, Double>> local, Map<String, Double> credibility,
                                 Set<String> peers, Set<String> preTrusted, double damping, int maxIterations,
                                 double tolerance) {
        if (!(damping > 0 && damping <= 1)) throw new InvalidSpecException("damping must be in (0, 1], got " + damping);
        if (maxIterations < 1) throw new InvalidSpecException("max iterations must be at least 1, got " + maxIterations);
        TreeSet<String> all = new TreeSet<>(peers);
        all.addAll(preTrusted);
        local.forEach((i, row) -> {
            all.add(i);
            all.addAll(row.keySet());
        });
        if (all.isEmpty()) return new Result(new TreeMap<>(), 0, true);
        List<String> ids = new ArrayList<>(all);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < ids.size(); k++) index.put(ids.get(k), k);
        int n = ids.size();

        // 1. The restart distribution p: uniform over the pre-trusted peers (or over all).
        double[] p = new double[n];
        long anchored = preTrusted.stream().filter(all::contains).count();
        for (int k = 0; k < n; k++) {
            p[k] = anchored == 0 ? 1.0 / n : preTrusted.contains(ids.get(k)) ? 1.0 / anchored : 0;
        }

        // 2. Normalised rows of C as parallel arrays, and the share of each row that follows them.
        double[] kept = new double[n];
        int[][] targets = new int[n][];
        double[][] weights = new double[n][];
        for (int i = 0; i < n; i++) {
            String observer = ids.get(i);
            Map<String, Double> row = local.getOrDefault(observer, Map.of());
            // Sorted by peer id, and so by index (ids are indexed in sorted order): a sorted row is read as it is.
            if (!(row instanceof SortedMap<String, Double> sorted && sorted.comparator() == null)) row = new TreeMap<>(row);
            int[] to = new int[row.size()];
            double[] trustIn = new double[row.size()];
            int positive = 0;
            double sum = 0;
            for (Map.Entry<String, Double> e : row.entrySet()) {
                double s = e.getValue();
                if (!(s > 0) || !Double.isFinite(s) || e.getKey().equals(observer)) continue;
                to[positive] = index.get(e.getKey());
                trustIn[positive++] = s;
                sum += s;
            }
            double k = credibility.getOrDefault(observer, 1.0);
            kept[i] = positive == 0 ? 0 : Math.max(0, Math.min(1, k));
            targets[i] = java.util.Arrays.copyOf(to, positive);
            weights[i] = new double[positive];
            for (int j = 0; j < positive; j++) weights[i][j] = trustIn[j] / sum;
        }

        // 3. Power iteration; what a row does not pass on (no trust, or not credible) goes to p.
        double[] t = p.clone();
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations && !converged) {
            double[] next = new double[n];
            double toAnchors = 0;
            for (int i = 0; i < n; i++) {
                double flow = (1 - damping) * t[i] * kept[i];
                toAnchors += t[i] * (1 - kept[i]);
                for (int j = 0; j < targets[i].length; j++) next[targets[i][j]] += flow * weights[i][j];
            }
            double restart = (1 - damping) * toAnchors + damping;
            double change = 0;
            for (int j = 0; j < n; j++) {
                next[j] += restart * p[j];
                change += Math.abs(next[j] - t[j]);
            }
            t = next;
            iterations++;
            converged = change < tolerance;
        }
        SortedMap<String, Double> trust = new TreeMap<>();
        for (int k = 0; k < n; k++) trust.put(ids.get(k), t[k]);
        return new Result(trust, iterations, converged);
    }
}
