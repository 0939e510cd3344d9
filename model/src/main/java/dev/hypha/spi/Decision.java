package dev.hypha.spi;

import java.util.List;
import java.util.Map;

/**
 * Why a placement came out as it did (what {@code hypha workload explain} shows).
 *
 * @param profile          scheduler profile that decided
 * @param nodesTotal       nodes in the snapshot
 * @param nodesEvaluated   nodes that went through the filters (a sample on large clusters)
 * @param topCandidates    best feasible nodes, best first, with per-plugin scores
 * @param rejectionCounts  how many nodes each filter reason dropped, e.g. {"resource-fit: insufficient memory": 3}
 * @param rejections       a bounded sample of individual rejections
 */
public record Decision(String profile, int nodesTotal, int nodesEvaluated, List<CandidateScore> topCandidates,
                       Map<String, Integer> rejectionCounts, List<Rejection> rejections) {
    public Decision {
        topCandidates = List.copyOf(topCandidates);
        rejectionCounts = Map.copyOf(rejectionCounts);
        rejections = List.copyOf(rejections);
    }

    /** One feasible node's score: {@code total} is the weighted sum of {@code scores} (each 0..1). */
    public record CandidateScore(String nodeId, double total, Map<String, Double> scores) {
        public CandidateScore {
            scores = Map.copyOf(scores);
        }
    }

    /** One node dropped by a filter plugin, with a reason a person can read. */
    public record Rejection(String nodeId, String plugin, String reason) {}
}
