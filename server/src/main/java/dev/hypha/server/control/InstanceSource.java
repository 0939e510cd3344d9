package dev.hypha.server.control;

import dev.hypha.model.Instance;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.util.List;

/**
 * Where a controller pass reads every instance from: the store itself, or an in-memory copy that
 * follows the store's changes.
 *
 * <p>Why: the controller runs a pass after every change, and reading every instance from the
 * store each time (one row per instance, decoded again whenever the agent's status changed it)
 * cost more than the placing the pass did. A copy must answer as of the revision the pass starts
 * from or later, so a pass always sees the placements of the passes before it.
 */
@FunctionalInterface
public interface InstanceSource {
    /** Read from the store on every pass. */
    InstanceSource STORE = (store, atLeast) -> store.instances().list();

    /**
     * Every instance, in id order, as of revision {@code atLeast} or later.
     *
     * @param store the pass's view of the store, for a source that falls back to reading it
     */
    List<Versioned<Instance>> instances(StateStore store, long atLeast);
}
