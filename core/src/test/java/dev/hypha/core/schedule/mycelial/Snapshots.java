package dev.hypha.core.schedule.mycelial;

import dev.hypha.model.Node;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fluent builders for scheduler inputs: {@code node("n1").member("bob").reliability(0.9).build()}. */
final class Snapshots {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private Snapshots() {}

    static NodeBuilder node(String id) {
        return new NodeBuilder(id);
    }

    static PlacementRequest request(String workload) {
        return request(workload, "alice", new Resources(250, 256, 0), false);
    }

    static PlacementRequest request(String workload, String member, Resources resources, boolean preferHighReputation) {
        WorkloadSpec spec = new WorkloadSpec(workload, "busybox", List.of(), 1, resources, null, member, null,
                new PlacementConstraints(preferHighReputation, List.of()));
        return new PlacementRequest(spec, workload + "-1", 42);
    }

    static ClusterSnapshot cluster(List<NodeSnapshot> nodes, Map<String, Long> balances) {
        return new ClusterSnapshot(nodes, balances, 1);
    }

    static ClusterSnapshot cluster(NodeSnapshot node) {
        return cluster(List.of(node), Map.of());
    }

    static final class NodeBuilder {
        private final String id;
        private String member;
        private double carbon = 200;
        private Resources capacity = new Resources(4_000, 8_192, 20_480);
        private Resources allocated = Resources.ZERO;
        private final Map<String, Integer> counts = new HashMap<>();
        private Reputation reputation = Reputation.NEUTRAL;

        NodeBuilder(String id) {
            this.id = id;
        }

        NodeBuilder member(String m) {
            member = m;
            return this;
        }

        NodeBuilder carbon(double gramsPerKwh) {
            carbon = gramsPerKwh;
            return this;
        }

        NodeBuilder capacity(Resources r) {
            capacity = r;
            return this;
        }

        NodeBuilder allocated(Resources r) {
            allocated = r;
            return this;
        }

        NodeBuilder running(String workload, int replicas) {
            counts.put(workload, replicas);
            return this;
        }

        NodeBuilder reputation(Reputation r) {
            reputation = r;
            return this;
        }

        /** Every score at {@code v}. */
        NodeBuilder reputation(double v) {
            return reputation(new Reputation(v, v, v, v));
        }

        NodeBuilder reliability(double v) {
            return reputation(new Reputation(v, reputation.resourceEfficiency(), reputation.ecologicalBalance(),
                    reputation.contributionRatio()));
        }

        NodeSnapshot build() {
            Node n = new Node(id, member, null, null, capacity, 0.1, carbon, null, null, null, T0, T0);
            return new NodeSnapshot(n, allocated, counts, reputation);
        }
    }
}
