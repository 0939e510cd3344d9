package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The baseline scheduler: filters and scores every node for every replica, builds a score map per
 * node and sorts all candidates — what a straightforward design does.
 *
 * <p>It exists so benchmarks can show what sampling and the allocation-free loop of
 * {@link PipelineScheduler} buy. It runs the same plugins and ranks the same way, so on a cluster
 * small enough that the pipeline evaluates every node, both return the same placement.
 */
public final class NaiveScheduler implements Scheduler {
    private final SchedulerProfile profile;

    public NaiveScheduler(SchedulerProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    @Override
    public String profile() {
        return profile.name();
    }

    @Override
    public Placement schedule(PlacementRequest request, ClusterSnapshot snapshot) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(snapshot, "snapshot");
        RejectionTally rejections = new RejectionTally(profile.filters());
        List<Decision.CandidateScore> candidates = new ArrayList<>();
        for (NodeSnapshot node : snapshot.nodes()) {
            if (rejected(request, node, snapshot, rejections)) continue;
            Map<String, Double> scores = new LinkedHashMap<>();
            double total = 0;
            for (WeightedScore ws : profile.scorers()) {
                double s = ws.plugin().score(request, node, snapshot);
                if (!(s >= 0 && s <= 1)) throw PipelineScheduler.badScore(ws.name(), s, node);
                scores.put(ws.name(), s);
                total += ws.weight() * s;
            }
            candidates.add(new Decision.CandidateScore(node.id(), total, scores));
        }
        candidates.sort(Ranking.bestFirst(request.seed()));
        List<Decision.CandidateScore> top = candidates.subList(0, Math.min(profile.topCandidates(), candidates.size()));
        Decision decision = new Decision(profile.name(), snapshot.nodes().size(), snapshot.nodes().size(), top,
                rejections.counts(), rejections.sample());
        return top.isEmpty()
                ? new Placement.Unplaceable(decision)
                : new Placement.Assigned(top.getFirst().nodeId(), decision);
    }

    private boolean rejected(PlacementRequest request, NodeSnapshot node, ClusterSnapshot snapshot,
                             RejectionTally rejections) {
        List<FilterPlugin> filters = profile.filters();
        for (int f = 0; f < filters.size(); f++) {
            if (filters.get(f).filter(request, node, snapshot) instanceof FilterResult.Rejected rejection) {
                rejections.record(f, rejection, request, node, snapshot);
                return true;
            }
        }
        return false;
    }
}
