package dev.hypha.server.intent;

import dev.hypha.model.Workload;
import dev.hypha.model.intent.Intent;
import dev.hypha.store.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which intent owns a workload, as of a store revision: what {@link PlanSteeringScheduler} reads
 * to find the plan a replica should follow.
 *
 * <p>It reloads the intents and workloads whenever it is asked about a newer revision than it
 * loaded, so a workload controller pass (whose snapshot carries the revision it was read at) sees
 * every intent created with its workload, in one read per pass. Only a workload whose
 * {@code owner} is the intent counts: a workload of the same name that someone else made is
 * scheduled as usual. Thread-safe.
 */
public final class IntentBook {
    private final Supplier<List<Intent>> intents;
    private final Supplier<List<Workload>> workloads;
    private long loadedAt = Long.MIN_VALUE;
    private Map<String, Intent> byWorkload = Map.of();

    public IntentBook(StateStore store) {
        this(() -> store.intents().values(), () -> store.workloads().values());
    }

    IntentBook(Supplier<List<Intent>> intents, Supplier<List<Workload>> workloads) {
        this.intents = intents;
        this.workloads = workloads;
    }

    /**
     * The intent that owns {@code workload}, read at {@code revision} or later.
     *
     * @param revision the store revision the caller's snapshot was read at; 0 or less reloads every time
     */
    public synchronized Optional<Intent> ownerOf(String workload, long revision) {
        if (revision <= 0 || revision != loadedAt) {
            // Workloads first: an intent is created in the same transaction as its workload, so
            // every owned workload read here finds its intent in the later read.
            Map<String, String> owners = new HashMap<>();
            for (Workload w : workloads.get()) {
                if (w.owner() != null) owners.put(w.name(), w.owner());
            }
            Map<String, Intent> next = new HashMap<>();
            for (Intent i : intents.get()) {
                if (i.id().equals(owners.get(i.workload()))) next.put(i.workload(), i);
            }
            byWorkload = next;
            loadedAt = revision;
        }
        return Optional.ofNullable(byWorkload.get(workload));
    }
}
