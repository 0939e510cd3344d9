package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import java.util.List;
import java.util.Objects;

/**
 * The scheduler: runs a {@link SchedulerProfile}'s plugins as a filter → score → select pipeline
 * over a bounded, reproducible sample of the cluster, and explains its choice.
 *
 * <ol>
 *   <li><b>Prepare</b>: each plugin is prepared for the request ({@link FilterPlugin#prepare},
 *       {@link ScorePlugin#prepare}): what depends on the request alone is worked out once, a
 *       filter that lets every node through is skipped, and the prepared plugins read the nodes
 *       from {@link NodeColumns}, flat arrays kept per thread and refreshed incrementally from the
 *       snapshot. A plugin without a fast path is called per node on the node's record.</li>
 *   <li><b>Sample</b>: on a cluster of at most {@link #MIN_FEASIBLE_NODES} nodes every node is
 *       evaluated. On a larger one, the sample is drawn from the nodes inside the request's
 *       restrictions ({@link FilterPlugin#restriction}: its regions, a member's own nodes past its
 *       hard credit limit), found in the columns' region and member indexes; the nodes outside are
 *       counted under the first restricting filter, and the first few of each are explained,
 *       without visiting the rest. The nodes inside are visited in an order shuffled with the
 *       request's seed (in blocks of eight, for memory locality: see {@link CandidateOrder}), and
 *       evaluation stops once {@code max(100, 5% of n)} feasible nodes are found — kube-scheduler's
 *       {@code percentageOfNodesToScore} at its 5% floor. Scores past that point rarely change the
 *       choice, and the cost per placement grows with 5% of the cluster, not all of it, however
 *       few nodes a request may use.</li>
 *   <li><b>Filter</b>: the profile's filters run in order; the first rejection drops the node, and
 *       its named reason is counted. A bounded sample of rejections is kept with per-node detail.</li>
 *   <li><b>Score</b>: each score plugin rates the feasible nodes 0..1, one call for all of them;
 *       the total is the weighted sum, added in the profile's order. The leading scores that
 *       depend on the node alone ({@link ColumnScore#perNode}) are summed once per node and kept
 *       by the columns, recomputed only where a node changed.</li>
 *   <li><b>Select</b>: the highest total wins; equal totals are ordered by a key derived from the seed
 *       and the node id, so ties spread over equal nodes and the same input always gives the same
 *       node. The best {@code topCandidates} are kept in the {@link Decision} with every plugin's
 *       score. When no evaluated node is feasible — then every node inside the restrictions was
 *       evaluated — the placement is {@link Placement.Unplaceable}, with all the reasons counted.</li>
 * </ol>
 *
 * <p>{@link #choose} runs the same steps and answers with the chosen node alone, for a caller that
 * would throw the explanation away.
 *
 * <p>Pure and thread-safe: the scheduler writes nothing; binding the decision (and adding it to the
 * snapshot before the next replica, see {@link IncrementalSnapshot}) is the caller's job. The
 * per-thread columns, indexes and shuffle arrays are caches whose content is a function of the
 * snapshot alone, so the same request and snapshot give the same placement whatever ran before.
 * The evaluation loop allocates nothing per node, and a node's id is read only when it may enter
 * the top candidates, so a placement allocates only its prepared plugins and its small decision.
 */
public final class PipelineScheduler implements Scheduler {
    /** Fewer nodes than this are always all evaluated (kube-scheduler's minFeasibleNodesToFind). */
    public static final int MIN_FEASIBLE_NODES = 100;
    /** On large clusters, stop after this percentage of the nodes were found feasible. */
    public static final int FEASIBLE_PERCENT = 5;

    private final SchedulerProfile profile;
    private final FilterPlugin[] filters;
    private final ScorePlugin[] scorers;
    private final double[] weights;
    private final String[] scorerNames;
    /** The columns' keys for the weighted sum of the first p scores of the node alone, by p. */
    private final Object[] prefixKeys;
    private final ThreadLocal<Scratch> scratch;

    public PipelineScheduler(SchedulerProfile profile) {
        this(profile, true);
    }

    /**
     * @param indexed whether restrictions are looked up in the columns' indexes; without, every
     *                node is tested against them (the same decisions, for tests to compare)
     */
    PipelineScheduler(SchedulerProfile profile, boolean indexed) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.filters = profile.filters().toArray(FilterPlugin[]::new);
        int m = profile.scorers().size();
        this.scorers = new ScorePlugin[m];
        this.weights = new double[m];
        this.scorerNames = new String[m];
        for (int j = 0; j < m; j++) {
            WeightedScore s = profile.scorers().get(j);
            scorers[j] = s.plugin();
            weights[j] = s.weight();
            scorerNames[j] = s.name();
        }
        this.prefixKeys = new Object[m + 1];
        for (int p = 0; p <= m; p++) prefixKeys[p] = new Object();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(m, indexed));
    }

    /** How many feasible nodes the sample looks for: {@code max(100, ceil(5% of nodes))}. */
    public static int feasibleNodesToFind(int nodes) {
        return (int) Math.max(MIN_FEASIBLE_NODES, ((long) nodes * FEASIBLE_PERCENT + 99) / 100);
    }

    @Override
    public String profile() {
        return profile.name();
    }

    public SchedulerProfile schedulerProfile() {
        return profile;
    }

    /**
     * The node a placement picks, without its explanation: what {@link #schedule} decides, for a
     * caller that reads only the choice (the cluster simulator, which places hundreds of
     * thousands of replicas and keeps no decision).
     *
     * @param nodeId         the node {@link Placement.Assigned} names, or null when the request is unplaceable
     * @param nodesEvaluated {@link Decision#nodesEvaluated()}
     */
    public record Choice(String nodeId, int nodesEvaluated) {
        public boolean assigned() {
            return nodeId != null;
        }
    }

    /**
     * The same node {@link #schedule} assigns for {@code request} on {@code snapshot} (or none
     * when it finds the request unplaceable), and how many nodes it evaluated; the rejections,
     * the kept candidates' per-plugin scores and the decision record are not built.
     */
    public Choice choose(PlacementRequest request, ClusterSnapshot snapshot) {
        Selection s = select(request, snapshot, false);
        return new Choice(s.top.isEmpty() ? null : s.nodes.id(s.top.best()), s.evaluated);
    }

    @Override
    public Placement schedule(PlacementRequest request, ClusterSnapshot snapshot) {
        Selection s = select(request, snapshot, true);
        for (int j = 0; j < s.prepared.prefix; j++) s.top.scoreKept(j, s.prepared.perNode[j]);
        List<Decision.CandidateScore> candidateScores = s.top.bestFirst(scorerNames);
        Decision decision = new Decision(profile.name(), snapshot.nodes().size(), s.evaluated, candidateScores,
                s.rejections.counts(), s.rejections.sample());
        return candidateScores.isEmpty()
                ? new Placement.Unplaceable(decision)
                : new Placement.Assigned(candidateScores.getFirst().nodeId(), decision);
    }

    /**
     * Steps 0 to 4 up to the best candidates, kept with the scores of the plugins after the
     * prefix; the rejections are tallied only when {@code explain}.
     */
    private record Selection(NodeColumns nodes, Prepared prepared, TopCandidates top, int evaluated,
                             RejectionTally rejections) {}

    private Selection select(PlacementRequest request, ClusterSnapshot snapshot, boolean explain) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(snapshot, "snapshot");
        int total = snapshot.nodes().size();
        long seed = request.seed();
        Scratch scratch = this.scratch.get();
        NodeColumns nodes = scratch.columns.refresh(snapshot);
        int wanted = feasibleNodesToFind(total);
        boolean sampled = total > wanted;
        RejectionTally rejections = new RejectionTally(profile.filters(), scratch.reasonKeys);

        // 0. Prepare: each plugin works out once what depends on the request alone.
        Prepared prepared = prepare(request, snapshot, nodes, sampled);

        // 1. Sample: all nodes on a small cluster; on a large one, the nodes inside the request's
        //    restrictions (the others counted, not visited) in a seeded shuffle, in blocks of neighbours.
        int[] eligible = null;
        int eligibleOffset = 0;
        int candidates = total;
        if (prepared.restrictions.length > 0) {
            EligibleNodes e = scratch.eligible;
            e.resolve(nodes, prepared.restrictions.length, prepared.restrictedBy, prepared.restrictions, rejections,
                    request, snapshot);
            eligible = e.array();
            eligibleOffset = e.offset();
            candidates = e.size();
        }
        CandidateOrder order = candidates > wanted ? scratch.order.reset(candidates, seed) : null;

        int[] found = scratch.feasible(Math.min(wanted, candidates));
        int evaluated = 0;
        int feasible = 0;
        int drawn = 0;
        while (drawn < candidates && feasible < wanted) {
            // Draw blocks into a batch until it is full or could hold every feasible node still wanted.
            int length = 0;
            while (drawn < candidates && length + CandidateOrder.BLOCK <= NodeColumns.MAX_BATCH
                    && length < wanted - feasible) {
                int start = order == null ? drawn : order.nextBlockStart();
                int n = Math.min(CandidateOrder.BLOCK, candidates - start);
                for (int i = 0; i < n; i++) {
                    scratch.batch[length++] = eligible == null ? start + i : eligible[eligibleOffset + start + i];
                }
                drawn += n;
            }

            // 2. Filter the batch: each filter sees the nodes no earlier filter rejected. In node
            //    order, as one node at a time would: count the rejections, list the nodes that fit.
            filterBatch(prepared, length, scratch);
            for (int i = 0; i < length && feasible < wanted; i++) {
                int k = scratch.batch[i];
                evaluated++;
                FilterResult.Rejected rejection = scratch.rejection[i];
                if (rejection != null) {
                    if (explain) rejections.record(scratch.rejectedBy[i], rejection, request, nodes.node(k), snapshot);
                } else {
                    found[feasible++] = k;
                }
            }
        }

        // 3. Score every feasible node, plugin by plugin (one call each, a tight loop over the
        //    nodes), and sum the weighted scores: per node in the profile's order, so each sum is
        //    the naive scheduler's to the bit. Leading scores of the node alone come summed already.
        double[] sums = scratch.sums;
        int prefix = prepared.prefix;
        boolean outOfRange = score(prepared, found, feasible, sums, scratch.scores);

        // 4. Select: the best K, in the order the nodes were found, with every plugin's score.
        TopCandidates top = new TopCandidates(nodes, profile.topCandidates(), scorers.length);
        if (outOfRange) {
            for (int i = 0; i < feasible; i++) checkScores(prepared, scratch.scores, i, nodes, found[i]);
        }
        top.offerAll(found, sums, feasible, seed, scratch.scores, prefix);
        return new Selection(nodes, prepared, top, evaluated, rejections);
    }

    /**
     * Runs the prepared filters over the {@code length} nodes at {@code scratch.batch}: afterwards
     * {@code scratch.rejection[i]} is the first rejection of the i-th (null when it fits), with its
     * filter's index in {@code scratch.rejectedBy[i]}.
     */
    private static void filterBatch(Prepared prepared, int length, Scratch scratch) {
        int[] alive = scratch.fitting;
        int[] slot = scratch.slot;
        System.arraycopy(scratch.batch, 0, alive, 0, length);
        for (int i = 0; i < length; i++) {
            slot[i] = i;
            scratch.rejection[i] = null;
        }
        int count = length;
        FilterResult.Rejected[] verdicts = scratch.verdicts;
        for (int f = 0; f < prepared.filters.length && count > 0; f++) {
            prepared.filters[f].test(alive, count, verdicts);
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (verdicts[i] == null) {
                    alive[kept] = alive[i];
                    slot[kept++] = slot[i];
                } else {
                    scratch.rejection[slot[i]] = verdicts[i];
                    scratch.rejectedBy[slot[i]] = prepared.filterIndex[f];
                }
            }
            count = kept;
        }
    }

    /** Per-thread working memory, so a placement allocates only its prepared plugins and its decision. */
    private static final class Scratch {
        final NodeColumns columns = new NodeColumns();
        final CandidateOrder order = new CandidateOrder();
        final EligibleNodes eligible;
        final RejectionTally.Keys reasonKeys = new RejectionTally.Keys();
        final int[] batch = new int[NodeColumns.MAX_BATCH];
        final int[] fitting = new int[NodeColumns.MAX_BATCH];
        final int[] slot = new int[NodeColumns.MAX_BATCH];
        final FilterResult.Rejected[] verdicts = new FilterResult.Rejected[NodeColumns.MAX_BATCH];
        final FilterResult.Rejected[] rejection = new FilterResult.Rejected[NodeColumns.MAX_BATCH];
        final int[] rejectedBy = new int[NodeColumns.MAX_BATCH];
        /** The feasible nodes found, then their sums and per-plugin scores: as long as the most ever wanted. */
        int[] found = new int[0];
        double[] sums = new double[0];
        double[][] scores;

        Scratch(int scorers, boolean indexed) {
            scores = new double[scorers][0];
            eligible = new EligibleNodes(indexed);
        }

        /** The array for up to {@code wanted} feasible nodes, with room for their scores. */
        int[] feasible(int wanted) {
            if (found.length < wanted) {
                found = new int[wanted];
                sums = new double[wanted];
                for (int j = 0; j < scores.length; j++) scores[j] = new double[wanted];
            }
            return found;
        }
    }

    /**
     * The plugins prepared for one request: the filters that may reject (with their index in the
     * profile, for the tally); the restrictions the sample is drawn within, with the index of the
     * filter that stated each (those filters are not run: they pass every node inside); per score
     * either its prepared form or, for a score that is the same on every node, null and the
     * constant; and how many leading scores are of the node alone ({@link ColumnScore#perNode}),
     * with their functions and their weighted sum per node, kept by the columns across requests.
     */
    private record Prepared(ColumnFilter[] filters, int[] filterIndex, NodeRestriction[] restrictions,
                            int[] restrictedBy, ColumnScore[] scores, double[] constants, int prefix,
                            NodeColumns.NodeFunction[] perNode, double[] prefixSums) {}

    private Prepared prepare(PlacementRequest request, ClusterSnapshot snapshot, NodeColumns nodes, boolean sampled) {
        ColumnFilter[] fs = new ColumnFilter[filters.length];
        int[] index = new int[filters.length];
        NodeRestriction[] restrictions = NO_RESTRICTIONS;
        int[] restrictedBy = NO_INDEXES;
        int used = 0;
        int restricted = 0;
        for (int f = 0; f < filters.length; f++) {
            // Restrictions only where nodes are sampled: a small cluster is filtered node by node, in full.
            NodeRestriction r = sampled ? filters[f].restriction(request, snapshot) : null;
            if (r != null) {
                if (restricted == restrictions.length) {
                    restrictions = java.util.Arrays.copyOf(restrictions, filters.length);
                    restrictedBy = java.util.Arrays.copyOf(restrictedBy, filters.length);
                }
                restrictions[restricted] = r;
                restrictedBy[restricted++] = f;
                continue;
            }
            ColumnFilter c = filters[f].prepare(request, snapshot, nodes);
            if (c == ColumnFilter.PASS) continue;
            fs[used] = c != null ? c : perNode(filters[f], request, snapshot, nodes);
            index[used++] = f;
        }
        ColumnScore[] ss = new ColumnScore[scorers.length];
        double[] constants = new double[scorers.length];
        for (int j = 0; j < scorers.length; j++) {
            ColumnScore c = scorers[j].prepare(request, snapshot, nodes);
            if (c instanceof ColumnScore.Constant(double value)) {
                constants[j] = value;
            } else {
                ss[j] = c != null ? c : perNode(scorers[j], request, snapshot, nodes);
            }
        }
        // Leading scores of the node alone: their weighted sum is kept per node, not recomputed per placement.
        int prefix = 0;
        while (prefix < ss.length && ss[prefix] instanceof ColumnScore.PerNode) prefix++;
        NodeColumns.NodeFunction[] perNode = new NodeColumns.NodeFunction[prefix];
        for (int j = 0; j < prefix; j++) perNode[j] = ((ColumnScore.PerNode) ss[j]).score();
        double[] prefixSums = prefix == 0 ? null
                : nodes.derived(prefixKeys[prefix], (columns, k) -> weightedSum(perNode, weights, columns, k));
        return new Prepared(java.util.Arrays.copyOf(fs, used), java.util.Arrays.copyOf(index, used),
                restricted == 0 ? NO_RESTRICTIONS : java.util.Arrays.copyOf(restrictions, restricted),
                restricted == 0 ? NO_INDEXES : java.util.Arrays.copyOf(restrictedBy, restricted),
                ss, constants, prefix, perNode, prefixSums);
    }

    private static final NodeRestriction[] NO_RESTRICTIONS = new NodeRestriction[0];
    private static final int[] NO_INDEXES = new int[0];

    /** A filter without a fast path, called per node on its record. */
    private static ColumnFilter perNode(FilterPlugin filter, PlacementRequest request, ClusterSnapshot snapshot,
                                        NodeColumns nodes) {
        return (positions, count, rejections) -> {
            for (int i = 0; i < count; i++) {
                FilterResult result = filter.filter(request, nodes.node(positions[i]), snapshot);
                if (result == null) {
                    throw new IllegalStateException("filter plugin '" + filter.name() + "' returned no result for node "
                            + nodes.node(positions[i]).id());
                }
                rejections[i] = result instanceof FilterResult.Rejected rejection ? rejection : null;
            }
        };
    }

    /** A score without a fast path, called per node on its record. */
    private static ColumnScore perNode(ScorePlugin score, PlacementRequest request, ClusterSnapshot snapshot,
                                       NodeColumns nodes) {
        return (positions, count, scores) -> {
            for (int i = 0; i < count; i++) scores[i] = score.score(request, nodes.node(positions[i]), snapshot);
        };
    }

    /**
     * Scores the nodes at {@code found[0 .. feasible - 1]} into {@code scores[j][i]} (plugins from
     * the prefix on) and their weighted totals into {@code sums[i]}; returns whether a score is
     * outside 0..1 (the caller finds which).
     */
    private boolean score(Prepared prepared, int[] found, int feasible, double[] sums, double[][] scores) {
        int prefix = prepared.prefix;
        if (prefix > 0) {
            double[] summed = prepared.prefixSums;
            for (int i = 0; i < feasible; i++) sums[i] = summed[found[i]];
        } else {
            java.util.Arrays.fill(sums, 0, feasible, 0.0);
        }
        boolean outOfRange = false;
        for (int j = prefix; j < scorers.length; j++) {
            ColumnScore score = prepared.scores[j];
            double[] column = scores[j];
            if (score != null) {
                score.score(found, feasible, column);
            } else {
                java.util.Arrays.fill(column, 0, feasible, prepared.constants[j]);
            }
            outOfRange |= addWeighted(weights[j], column, sums, feasible);
        }
        if (prefix > 0 && !outOfRange) {
            // A prefix sum is NaN when one of its scores is out of range.
            for (int i = 0; i < feasible; i++) {
                if (Double.isNaN(sums[i])) return true;
            }
        }
        return outOfRange;
    }

    /** {@code sums[i] += weight * scores[i]} for each node; whether a score is outside 0..1. */
    private static boolean addWeighted(double weight, double[] scores, double[] sums, int count) {
        boolean outOfRange = false;
        for (int i = 0; i < count; i++) {
            double v = scores[i];
            sums[i] += weight * v;
            outOfRange |= !(v >= 0 & v <= 1);
        }
        return outOfRange;
    }

    /** Throws for the first score of the i-th feasible node (at {@code position}) that is outside 0..1. */
    private void checkScores(Prepared prepared, double[][] scores, int i, NodeColumns nodes, int position) {
        for (int j = 0; j < scorers.length; j++) {
            double s = j < prepared.prefix ? prepared.perNode[j].at(nodes, position) : scores[j][i];
            if (!(s >= 0 && s <= 1)) throw badScore(scorerNames[j], s, nodes.node(position));
        }
    }

    /**
     * The weighted sum of the first {@code fs.length} scores of the node, in the profile's order,
     * or NaN when one of them is out of 0..1 (the pipeline then finds which, and says so).
     */
    private static double weightedSum(NodeColumns.NodeFunction[] fs, double[] weights, NodeColumns nodes, int k) {
        double sum = 0;
        for (int j = 0; j < fs.length; j++) {
            double s = fs[j].at(nodes, k);
            if (!(s >= 0 && s <= 1)) return Double.NaN;
            sum += weights[j] * s;
        }
        return sum;
    }

    static IllegalStateException badScore(String plugin, double score, NodeSnapshot node) {
        return new IllegalStateException("score plugin '" + plugin + "' returned " + score + " for node " + node.id()
                + "; scores must be between 0 and 1");
    }
}
