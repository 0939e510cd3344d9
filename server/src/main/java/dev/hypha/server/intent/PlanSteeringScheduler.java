package dev.hypha.server.intent;

import dev.hypha.model.intent.Intent;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.Decision;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.Placement;
import dev.hypha.spi.PlacementRequest;
import dev.hypha.spi.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scheduler that puts the replicas of intent-owned workloads on the nodes their plan chose, and
 * hands every other replica to the scheduler it wraps.
 *
 * <p>Why: an intent's plan picks nodes for price and carbon, not only regions, and a workload spec
 * can say only regions; left alone, the scheduler would spread replicas by load and break the
 * plan's budget or carbon cap. So for an owned workload it narrows the snapshot to the plan's open
 * slots ({@link PlanSteering}) and lets the wrapped scheduler choose among them, keeping its
 * filters and its explanation. When the wrapped scheduler refuses every open planned node, the
 * replica goes to any node the intent's hard constraints allow, and the intent controller re-plans.
 *
 * <p>Writes nothing; reads which intent owns a workload from an {@link IntentBook}, at the
 * snapshot's revision. Thread-safe when the wrapped scheduler is.
 */
public final class PlanSteeringScheduler implements Scheduler {
    private final Scheduler inner;
    private final IntentBook book;

    public PlanSteeringScheduler(Scheduler inner, IntentBook book) {
        this.inner = inner;
        this.book = book;
    }

    @Override
    public String profile() {
        return inner.profile();
    }

    @Override
    public Placement schedule(PlacementRequest request, ClusterSnapshot snapshot) {
        Optional<Intent> owner = book.ownerOf(request.workload().name(), snapshot.revision());
        if (owner.isEmpty()) return inner.schedule(request, snapshot);
        Intent intent = owner.get();
        return switch (PlanSteering.steer(intent, snapshot)) {
            case PlanSteering.Follow follow -> {
                Placement onPlan = inner.schedule(request, narrowed(snapshot, follow.nodes()));
                if (onPlan instanceof Placement.Assigned) yield onPlan;
                Placement anywhere = inner.schedule(request, narrowed(snapshot, PlanSteering.allowedNodes(intent, snapshot)));
                yield anywhere instanceof Placement.Assigned ? anywhere : onPlan;
            }
            case PlanSteering.Wait wait -> new Placement.Unplaceable(new Decision(inner.profile(),
                    snapshot.nodes().size(), 0, List.of(), Map.of(wait.why(), 1), List.of()));
        };
    }

    private static ClusterSnapshot narrowed(ClusterSnapshot snapshot, List<NodeSnapshot> nodes) {
        return new ClusterSnapshot(nodes, snapshot.memberBalances(), snapshot.revision());
    }
}
