package dev.hypha.spi;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map of workload name to replica count that makes a copy with one more replica of a
 * workload without copying every entry: the {@link NodeSnapshot#workloadCounts()} of a node that
 * a controller pass keeps placing replicas on.
 *
 * <p>Why: a node holds replicas of hundreds of workloads, and a pass that places a replica copied
 * the node's whole count map to add one, which was a quarter of the controller's time. Here the
 * counts are an unchanged base and a few changed entries; only after {@link #MAX_CHANGES} changes
 * are they merged into a new base, so a placement copies a few dozen entries at most, and a whole
 * map once in that many placements. Reads look at the changes, then the base.
 */
public final class WorkloadCounts extends AbstractMap<String, Integer> {
    /** Changed entries kept apart from the base before they are merged into a new one. */
    static final int MAX_CHANGES = 32;
    private static final WorkloadCounts EMPTY = new WorkloadCounts(Map.of(), Map.of(), 0);

    /** Immutable. */
    private final Map<String, Integer> base;
    /** Immutable: entries that replace or add to the base's. */
    private final Map<String, Integer> changes;
    private final int size;
    /** Base and changes as one immutable map, made when first iterated (a race makes it twice, equal). */
    private Map<String, Integer> merged;

    private WorkloadCounts(Map<String, Integer> base, Map<String, Integer> changes, int size) {
        this.base = base;
        this.changes = changes;
        this.size = size;
    }

    /** These counts as a {@code WorkloadCounts}: the map itself when it is one, else an immutable copy. */
    public static WorkloadCounts of(Map<String, Integer> counts) {
        if (counts instanceof WorkloadCounts w) return w;
        if (counts.isEmpty()) return EMPTY;
        Map<String, Integer> copy = Map.copyOf(counts);
        return new WorkloadCounts(copy, Map.of(), copy.size());
    }

    /** These counts with one more replica of {@code workload}. */
    public WorkloadCounts plusOne(String workload) {
        Objects.requireNonNull(workload, "workload");
        Integer now = get(workload);
        int next = now == null ? 1 : now + 1;
        int nextSize = now == null ? size + 1 : size;
        if (changes.size() >= MAX_CHANGES) {
            Map<String, Integer> all = HashMap.newHashMap(nextSize);
            all.putAll(base);
            all.putAll(changes);
            all.put(workload, next);
            return new WorkloadCounts(Map.copyOf(all), Map.of(), nextSize);
        }
        Map<String, Integer> changed = HashMap.newHashMap(changes.size() + 1);
        changed.putAll(changes);
        changed.put(workload, next);
        return new WorkloadCounts(base, Map.copyOf(changed), nextSize);
    }

    @Override
    public Integer get(Object workload) {
        Integer changed = changes.get(workload);
        return changed != null ? changed : base.get(workload);
    }

    @Override
    public boolean containsKey(Object workload) {
        return changes.containsKey(workload) || base.containsKey(workload);
    }

    @Override
    public Integer getOrDefault(Object workload, Integer otherwise) {
        Integer v = get(workload);
        return v != null ? v : otherwise;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, Integer>> entrySet() {
        return merged().entrySet();
    }

    private Map<String, Integer> merged() {
        Map<String, Integer> m = merged;
        if (m == null) {
            if (changes.isEmpty()) {
                m = base;
            } else {
                Map<String, Integer> all = HashMap.newHashMap(size);
                all.putAll(base);
                all.putAll(changes);
                m = Map.copyOf(all);
            }
            merged = m;
        }
        return m;
    }

    // Immutable: every mutator of AbstractMap throws UnsupportedOperationException already, through entrySet().
    @Override
    public Integer put(String key, Integer value) {
        throw new UnsupportedOperationException("workload counts are immutable");
    }

    @Override
    public Integer remove(Object key) {
        throw new UnsupportedOperationException("workload counts are immutable");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("workload counts are immutable");
    }
}
