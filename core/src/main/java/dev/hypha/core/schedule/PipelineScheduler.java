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
 *   <li><b>Sample</b>: on a cluster of at most {@link #MIN_FEASIBLE_NODES} nodes every node is
 *       evaluated. On a larger one the nodes are visited in an order shuffled with the request's
 *       seed (in blocks of eight neighbours, for memory locality: see {@link CandidateOrder}), and
 *       evaluation stops once {@code max(100, 5% of n)} feasible nodes are found — kube-scheduler's
 *       {@code percentageOfNodesToScore} at its 5% floor. Scores past that point rarely change the
 *       choice, and the cost per placement grows with 5% of the cluster, not all of it.</li>
 *   <li><b>Filter</b>: the profile's filters run in order; the first rejection drops the node, and
 *       its named reason is counted. A bounded sample of rejections is kept with per-node detail.</li>
 *   <li><b>Score</b>: each score plugin rates the node 0..1; the total is the weighted sum.</li>
 *   <li><b>Select</b>: the highest total wins; equal totals are ordered by a key derived from the seed
 *       and the node id, so ties spread over equal nodes and the same input always gives the same
 *       node. The best {@code topCandidates} are kept in the {@link Decision} with every plugin's
 *       score. When no evaluated node is feasible — then every node was evaluated — the placement
 *       is {@link Placement.Unplaceable}, with all the reasons counted.</li>
 * </ol>
 *
 * <p>Pure and thread-safe: the scheduler writes nothing; binding the decision (and adding it to the
 * snapshot before the next replica, see {@link ClusterSnapshots#withPlacement}) is the caller's job.
 * The evaluation loop allocates nothing per node, and a node's id is read only when it may enter the
 * top candidates; the shuffle's scratch arrays are kept per thread, so a placement allocates only
 * its small decision.
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
    private final ThreadLocal<CandidateOrder> orders = ThreadLocal.withInitial(CandidateOrder::new);

    public PipelineScheduler(SchedulerProfile profile) {
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

    @Override
    public Placement schedule(PlacementRequest request, ClusterSnapshot snapshot) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(snapshot, "snapshot");
        List<NodeSnapshot> nodes = snapshot.nodes();
        int total = nodes.size();
        long seed = request.seed();

        // 1. Sample: all nodes on a small cluster, a seeded shuffle on a large one.
        int wanted = feasibleNodesToFind(total);
        CandidateOrder order = total > wanted ? orders.get().reset(total, seed) : null;

        TopCandidates top = new TopCandidates(profile.topCandidates(), scorers.length);
        RejectionTally rejections = new RejectionTally(profile.filters());
        double[] scores = new double[scorers.length];
        int evaluated = 0;
        int feasible = 0;
        while (evaluated < total && feasible < wanted) {
            NodeSnapshot node = nodes.get(order == null ? evaluated : order.next());
            evaluated++;

            // 2. Filter: the first rejection drops the node and is counted under its reason.
            if (rejected(request, node, snapshot, rejections)) continue;
            feasible++;

            // 3. Score: the weighted sum of normalised scores.
            double sum = 0;
            for (int j = 0; j < scorers.length; j++) {
                double s = scorers[j].score(request, node, snapshot);
                if (!(s >= 0 && s <= 1)) throw badScore(scorerNames[j], s, node);
                scores[j] = s;
                sum += weights[j] * s;
            }

            // 4. Select, as we go: keep the best K, ties ordered by the seed.
            top.offer(node, sum, seed, scores);
        }

        List<Decision.CandidateScore> candidates = top.bestFirst(scorerNames);
        Decision decision = new Decision(profile.name(), total, evaluated, candidates, rejections.counts(),
                rejections.sample());
        return candidates.isEmpty()
                ? new Placement.Unplaceable(decision)
                : new Placement.Assigned(candidates.getFirst().nodeId(), decision);
    }

    private boolean rejected(PlacementRequest request, NodeSnapshot node, ClusterSnapshot snapshot,
                             RejectionTally rejections) {
        for (int f = 0; f < filters.length; f++) {
            FilterResult result = filters[f].filter(request, node, snapshot);
            if (result instanceof FilterResult.Rejected rejection) {
                rejections.record(f, rejection, request, node, snapshot);
                return true;
            }
            if (result == null) {
                throw new IllegalStateException("filter plugin '" + filters[f].name() + "' returned no result for node "
                        + node.id());
            }
        }
        return false;
    }

    static IllegalStateException badScore(String plugin, double score, NodeSnapshot node) {
        return new IllegalStateException("score plugin '" + plugin + "' returned " + score + " for node " + node.id()
                + "; scores must be between 0 and 1");
    }
}
