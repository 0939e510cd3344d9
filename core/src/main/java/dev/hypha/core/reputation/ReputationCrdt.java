package dev.hypha.core.reputation;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The reputation observations of the whole cluster as a state-based CRDT: per-observer grow-only
 * counters, one row per (observer, subject, time bucket), merged by per-counter maximum.
 *
 * <p>Why this merges correctly: each row has a single writer, its observer, whose counters only
 * grow. Any two copies of a row are therefore two moments of the same history, and the maximum of
 * each counter is the later moment. Merge is commutative, associative and idempotent, so gossip
 * may deliver states in any order, any number of times, and every replica converges to the same
 * value. (The seed averaged scores on merge: not idempotent, order-dependent, and it let any node
 * push any value.) A liar can still write rows under its own name, which is why aggregation
 * weighs each observer by its trust ({@link ReputationBook}).
 *
 * <p>An immutable value: every operation returns a new CRDT (copying the rows, in linear time),
 * so record events in batches with {@link #recordAll}. Safe to share between threads.
 */
public final class ReputationCrdt {
    private record Key(String observer, String subject, long bucket) implements Comparable<Key> {
        /** By observer, subject, then bucket (spelled out: a comparator chain cost a third of recording). */
        @Override
        public int compareTo(Key o) {
            // Most keys share their observer (a server's) with many others, often as the same string.
            int c = observer == o.observer ? 0 : observer.compareTo(o.observer);
            if (c != 0) return c;
            c = subject == o.subject ? 0 : subject.compareTo(o.subject);
            return c != 0 ? c : Long.compare(bucket, o.bucket);
        }

        /**
         * The ids' hashes mixed by a large odd multiplier: a record's {@code 31 * h(observer) + h(subject)}
         * collides whenever one id's last digit goes up by one as the other's second-to-last goes
         * down, which node ids like {@code n1234} do all the time.
         */
        @Override
        public int hashCode() {
            long h = (observer.hashCode() * 0x9E37_79B9_7F4A_7C15L + subject.hashCode()) * 0xBF58_476D_1CE4_E5B9L + bucket;
            h *= 0x94D0_49BB_1331_11EBL;
            return (int) (h ^ (h >>> 32));
        }
    }

    private final long bucketMillis;
    /** Sorted by observer, subject, bucket: serialisation and aggregation walk rows in a fixed order. */
    private final SortedMap<Key, Observation> rows;

    private ReputationCrdt(long bucketMillis, SortedMap<Key, Observation> rows) {
        this.bucketMillis = bucketMillis;
        this.rows = rows;
    }

    /** An empty CRDT whose time buckets are {@code bucket} long (e.g. an hour). */
    public static ReputationCrdt empty(Duration bucket) {
        long ms = bucket.toMillis();
        if (ms <= 0) throw new InvalidSpecException("a reputation bucket must be at least 1 ms, got " + bucket);
        return new ReputationCrdt(ms, Collections.emptySortedMap());
    }

    /** The CRDT a serialised state describes; duplicate rows in it merge by maximum. */
    public static ReputationCrdt of(ReputationState state) {
        TreeMap<Key, Observation> rows = new TreeMap<>();
        for (Observation o : state.observations()) rows.merge(keyOf(o), o, ReputationCrdt::max);
        return new ReputationCrdt(state.bucketMillis(), Collections.unmodifiableSortedMap(rows));
    }

    /** The serialised form, rows sorted by observer, subject and bucket (so equal CRDTs serialise equally). */
    public ReputationState toState() {
        return new ReputationState(bucketMillis, List.copyOf(rows.values()));
    }

    public Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    /** The index of the bucket containing {@code at}. */
    public long bucketOf(Instant at) {
        return Math.max(0, Math.floorDiv(at.toEpochMilli(), bucketMillis));
    }

    /** Records one event; see {@link #recordAll}. */
    public ReputationCrdt record(String observer, String subject, Instant at, NodeEvent event) {
        return recordAll(List.of(new ObservedEvent(observer, subject, at, event)));
    }

    /**
     * Adds the events to their observers' counters. Call it only for events the local replica's own
     * observer saw: other observers' rows arrive through {@link #merge}, and two replicas that both
     * increment one observer's row would break the single-writer rule the merge relies on.
     */
    public ReputationCrdt recordAll(List<ObservedEvent> events) {
        if (events.isEmpty()) return this;
        // What the events add to each row they touch, each applied in order to an empty row...
        HashMap<Key, Observation> added = new HashMap<>();
        for (ObservedEvent e : events) {
            Key k = new Key(e.observer(), e.subject(), bucketOf(e.at()));
            Observation row = added.get(k);
            if (row == null) row = Observation.empty(k.observer(), k.subject(), k.bucket());
            added.put(k, apply(row, e.event()));
        }
        // ...then added to the rows in one sorted merge: a batch touches many rows, and looking each
        // up and inserting it in the sorted map cost more than copying the map.
        List<Key> keys = new ArrayList<>(added.keySet());
        keys.sort(null);
        List<Map.Entry<Key, Observation>> merged = new ArrayList<>(rows.size() + keys.size());
        Iterator<Map.Entry<Key, Observation>> old = rows.entrySet().iterator();
        Map.Entry<Key, Observation> row = old.hasNext() ? old.next() : null;
        for (Key k : keys) {
            while (row != null && row.getKey().compareTo(k) < 0) {
                merged.add(row);
                row = old.hasNext() ? old.next() : null;
            }
            Observation delta = added.get(k);
            if (row != null && row.getKey().compareTo(k) == 0) {
                merged.add(Map.entry(k, plus(row.getValue(), delta)));
                row = old.hasNext() ? old.next() : null;
            } else {
                merged.add(Map.entry(k, delta));
            }
        }
        while (row != null) {
            merged.add(row);
            row = old.hasNext() ? old.next() : null;
        }
        return new ReputationCrdt(bucketMillis, Collections.unmodifiableSortedMap(new TreeMap<>(new Sorted(merged))));
    }

    /** The counters of two copies of one row added: {@code o} with {@code delta}'s events applied. */
    private static Observation plus(Observation o, Observation delta) {
        return new Observation(o.observer(), o.subject(), o.bucket(),
                Math.addExact(o.startsSucceeded(), delta.startsSucceeded()),
                Math.addExact(o.startsFailed(), delta.startsFailed()),
                Math.addExact(o.instancesLost(), delta.instancesLost()),
                Math.addExact(o.probeAcks(), delta.probeAcks()),
                Math.addExact(o.probeFailures(), delta.probeFailures()),
                Math.addExact(o.cpuUsedMillis(), delta.cpuUsedMillis()),
                Math.addExact(o.cpuPledgedMillis(), delta.cpuPledgedMillis()),
                Math.addExact(o.memoryUsedMbSeconds(), delta.memoryUsedMbSeconds()),
                Math.addExact(o.memoryPledgedMbSeconds(), delta.memoryPledgedMbSeconds()),
                Math.addExact(o.energyMillijoules(), delta.energyMillijoules()),
                Math.addExact(o.energyCpuMillis(), delta.energyCpuMillis()));
    }

    /**
     * Entries already in key order, as the sorted map a {@link TreeMap} is built from in linear
     * time, without comparing keys. Only what that constructor reads is supported.
     */
    private static final class Sorted extends AbstractMap<Key, Observation> implements SortedMap<Key, Observation> {
        private final List<Map.Entry<Key, Observation>> entries;

        Sorted(List<Map.Entry<Key, Observation>> entries) {
            this.entries = entries;
        }

        @Override
        public Set<Map.Entry<Key, Observation>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<Key, Observation>> iterator() {
                    return entries.iterator();
                }

                @Override
                public int size() {
                    return entries.size();
                }
            };
        }

        @Override
        public Comparator<? super Key> comparator() {
            return null;
        }

        @Override
        public SortedMap<Key, Observation> subMap(Key fromKey, Key toKey) {
            throw new UnsupportedOperationException("a merge's entries are only read in order");
        }

        @Override
        public SortedMap<Key, Observation> headMap(Key toKey) {
            throw new UnsupportedOperationException("a merge's entries are only read in order");
        }

        @Override
        public SortedMap<Key, Observation> tailMap(Key fromKey) {
            throw new UnsupportedOperationException("a merge's entries are only read in order");
        }

        @Override
        public Key firstKey() {
            return entries.getFirst().getKey();
        }

        @Override
        public Key lastKey() {
            return entries.getLast().getKey();
        }
    }

    private static Observation apply(Observation o, NodeEvent event) {
        long succeeded = o.startsSucceeded(), failed = o.startsFailed(), lost = o.instancesLost();
        long acks = o.probeAcks(), probeFailures = o.probeFailures();
        long cpuUsed = o.cpuUsedMillis(), cpuPledged = o.cpuPledgedMillis();
        long memUsed = o.memoryUsedMbSeconds(), memPledged = o.memoryPledgedMbSeconds();
        long energy = o.energyMillijoules(), energyCpu = o.energyCpuMillis();
        switch (event) {
            case NodeEvent.ContainerStarted s -> succeeded = Math.addExact(succeeded, 1);
            case NodeEvent.StartFailed f -> {
                if (f.blame() == Blame.NODE_FAILURE) failed = Math.addExact(failed, 1);
            }
            case NodeEvent.ContainerExited x -> {
                if (x.blame() == Blame.NODE_FAILURE) lost = Math.addExact(lost, 1);
            }
            case NodeEvent.InstanceLost l -> lost = Math.addExact(lost, 1);
            case NodeEvent.ProbeAcked a -> acks = Math.addExact(acks, 1);
            case NodeEvent.ProbeFailed p -> probeFailures = Math.addExact(probeFailures, 1);
            case NodeEvent.UsageSampled u -> {
                long cpuPledge = Math.multiplyExact(u.pledged().cpuMillicores(), u.seconds());
                long memPledge = Math.multiplyExact(u.pledged().memoryMb(), u.seconds());
                // Use beyond the pledge is the workload's violation: capped, it neither helps nor hurts the node.
                cpuUsed = Math.addExact(cpuUsed, Math.min(u.cpuTimeMillis(), cpuPledge));
                cpuPledged = Math.addExact(cpuPledged, cpuPledge);
                memUsed = Math.addExact(memUsed,
                        Math.multiplyExact(Math.min(u.memoryMbAverage(), u.pledged().memoryMb()), u.seconds()));
                memPledged = Math.addExact(memPledged, memPledge);
                if (u.energyMillijoules() != null) {
                    energy = Math.addExact(energy, u.energyMillijoules());
                    energyCpu = Math.addExact(energyCpu, u.cpuTimeMillis());
                }
            }
        }
        return new Observation(o.observer(), o.subject(), o.bucket(), succeeded, failed, lost, acks, probeFailures,
                cpuUsed, cpuPledged, memUsed, memPledged, energy, energyCpu);
    }

    /** The join of the two states: every row of either, each counter at its maximum. */
    public ReputationCrdt merge(ReputationCrdt other) {
        requireSameBuckets(other);
        if (other.rows.isEmpty()) return this;
        if (rows.isEmpty()) return other;
        TreeMap<Key, Observation> next = new TreeMap<>(rows);
        other.rows.forEach((k, o) -> next.merge(k, o, ReputationCrdt::max));
        return new ReputationCrdt(bucketMillis, Collections.unmodifiableSortedMap(next));
    }

    /**
     * The rows of this state that {@code known} lacks or holds older copies of: what to gossip to a
     * peer whose state is {@code known}. {@code known.merge(delta(known))} equals
     * {@code known.merge(this)}.
     */
    public ReputationCrdt delta(ReputationCrdt known) {
        requireSameBuckets(known);
        TreeMap<Key, Observation> out = new TreeMap<>();
        rows.forEach((k, o) -> {
            Observation theirs = known.rows.get(k);
            if (theirs == null || !max(theirs, o).equals(theirs)) out.put(k, o);
        });
        return new ReputationCrdt(bucketMillis, Collections.unmodifiableSortedMap(out));
    }

    /**
     * This state without the rows of buckets before {@code bucket}: old rows no longer count (see
     * {@link ReputationConfig#horizonBuckets()}). A pruned row that gossip brings back is harmless:
     * it is pruned again and, being past the horizon, is not counted meanwhile.
     */
    public ReputationCrdt pruneBefore(long bucket) {
        TreeMap<Key, Observation> next = new TreeMap<>();
        rows.forEach((k, o) -> {
            if (k.bucket() >= bucket) next.put(k, o);
        });
        return next.size() == rows.size() ? this : new ReputationCrdt(bucketMillis, Collections.unmodifiableSortedMap(next));
    }

    /**
     * Only {@code observer}'s rows: what one observer wrote. Each observer is the single writer of
     * its rows, so a store can keep one key per observer (written by its owner alone) and gossip
     * can carry a node's own rows; merging the slices gives back the whole state.
     */
    public ReputationCrdt ofObserver(String observer) {
        // Keys sort by observer first, and "\0" sorts below every other character of a subject.
        SortedMap<Key, Observation> slice = rows.subMap(new Key(observer, "", Long.MIN_VALUE),
                new Key(observer + "\0", "", Long.MIN_VALUE));
        return new ReputationCrdt(bucketMillis, Collections.unmodifiableSortedMap(new TreeMap<>(slice)));
    }

    /** The observers that wrote rows, sorted. */
    public List<String> observers() {
        return rows.keySet().stream().map(Key::observer).distinct().toList();
    }

    /** The rows, sorted by observer, subject and bucket. */
    public Collection<Observation> observations() {
        return rows.values();
    }

    public Optional<Observation> row(String observer, String subject, long bucket) {
        return Optional.ofNullable(rows.get(new Key(observer, subject, bucket)));
    }

    public int size() {
        return rows.size();
    }

    private void requireSameBuckets(ReputationCrdt other) {
        if (other.bucketMillis != bucketMillis) {
            throw new InvalidSpecException("cannot merge reputation states with different bucket lengths: "
                    + bucketMillis + " ms and " + other.bucketMillis + " ms");
        }
    }

    private static Key keyOf(Observation o) {
        return new Key(o.observer(), o.subject(), o.bucket());
    }

    /** Per-counter maximum of two copies of the same row. */
    static Observation max(Observation a, Observation b) {
        return new Observation(a.observer(), a.subject(), a.bucket(),
                Math.max(a.startsSucceeded(), b.startsSucceeded()), Math.max(a.startsFailed(), b.startsFailed()),
                Math.max(a.instancesLost(), b.instancesLost()), Math.max(a.probeAcks(), b.probeAcks()),
                Math.max(a.probeFailures(), b.probeFailures()), Math.max(a.cpuUsedMillis(), b.cpuUsedMillis()),
                Math.max(a.cpuPledgedMillis(), b.cpuPledgedMillis()),
                Math.max(a.memoryUsedMbSeconds(), b.memoryUsedMbSeconds()),
                Math.max(a.memoryPledgedMbSeconds(), b.memoryPledgedMbSeconds()),
                Math.max(a.energyMillijoules(), b.energyMillijoules()),
                Math.max(a.energyCpuMillis(), b.energyCpuMillis()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReputationCrdt other && bucketMillis == other.bucketMillis && rows.equals(other.rows);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bucketMillis) * 31 + rows.hashCode();
    }

    @Override
    public String toString() {
        return "ReputationCrdt[" + rows.size() + " rows, buckets of " + bucket() + "]";
    }
}
