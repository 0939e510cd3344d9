package dev.hypha.core.reconcile;

import java.util.List;

/**
 * The actions one reconcile pass decided, in a deterministic order: grouped by workload name, and
 * within a workload the actions on existing instances by instance id, then the placements, then
 * the status update.
 *
 * <p>A plan is a value so the controller can log it, execute it outside any lock, and compare it
 * with the next one; an empty plan means the cluster has converged.
 */
public record ReconcilePlan(List<Action> actions) {
    private static final ReconcilePlan EMPTY = new ReconcilePlan(List.of());

    public ReconcilePlan {
        actions = List.copyOf(actions);
    }

    public static ReconcilePlan empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    public List<Action.Place> places() {
        return only(Action.Place.class);
    }

    public List<Action.Stop> stops() {
        return only(Action.Stop.class);
    }

    public List<Action.Remove> removes() {
        return only(Action.Remove.class);
    }

    public List<Action.UpdateStatus> statusUpdates() {
        return only(Action.UpdateStatus.class);
    }

    /** Actions that change instances (everything but status updates). */
    public boolean changesInstances() {
        return actions.stream().anyMatch(a -> !(a instanceof Action.UpdateStatus));
    }

    private <T extends Action> List<T> only(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
