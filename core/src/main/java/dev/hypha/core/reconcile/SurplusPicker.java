package dev.hypha.core.reconcile;

import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Chooses which active replicas to stop when a workload has too many: those not yet running
 * first, then those on the node with the most active replicas of the workload (recounted after
 * each pick, so the survivors stay spread), then the newest, then the lowest id.
 *
 * <p>Stopping a replica that never started costs no work; taking from the fullest node keeps the
 * survivors spread across failure domains; the newest has the least warm state.
 */
final class SurplusPicker {
    /** Newest {@code createdAt} first (unknown creation times last), then by id for determinism. */
    static final Comparator<Instance> NEWEST_FIRST = Comparator
            .comparing(Instance::createdAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(Instance::id);

    private SurplusPicker() {}

    /**
     * @param activePerNode active replicas of the workload on each node (not modified)
     * @return {@code count} instances from {@code candidates} (all of them when count is larger)
     */
    static List<Instance> pick(List<Instance> candidates, int count, Map<String, Integer> activePerNode) {
        if (count <= 0) return List.of();
        List<Instance> ordered = new ArrayList<>(candidates);
        ordered.sort(NEWEST_FIRST);
        if (count >= ordered.size()) return ordered;

        Map<String, Integer> perNode = new HashMap<>(activePerNode);
        List<Instance> picked = new ArrayList<>(count);
        for (boolean runningTier : new boolean[] {false, true}) {
            Map<String, Deque<Instance>> byNode = new TreeMap<>();
            for (Instance i : ordered) {
                if ((i.state() == InstanceState.RUNNING) == runningTier) {
                    byNode.computeIfAbsent(i.nodeId(), k -> new ArrayDeque<>()).add(i);
                }
            }
            // Fullest node first; among equally full nodes, the one whose newest candidate is newest.
            // Only the polled node's count and head change, while it is out of the queue: the order stays valid.
            PriorityQueue<String> fullestFirst = new PriorityQueue<>(
                    Comparator.comparingInt((String n) -> -perNode.getOrDefault(n, 0))
                            .thenComparing(n -> byNode.get(n).peekFirst(), NEWEST_FIRST));
            fullestFirst.addAll(byNode.keySet());
            while (picked.size() < count && !fullestFirst.isEmpty()) {
                String node = fullestFirst.poll();
                Deque<Instance> onNode = byNode.get(node);
                picked.add(onNode.pollFirst());
                perNode.merge(node, -1, Integer::sum);
                if (!onNode.isEmpty()) fullestFirst.add(node);
            }
        }
        return picked;
    }
}
