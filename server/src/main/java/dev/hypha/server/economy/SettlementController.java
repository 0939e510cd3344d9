package dev.hypha.server.economy;

import dev.hypha.core.economy.Ledger;
import dev.hypha.core.economy.Pledges;
import dev.hypha.core.economy.Settlement;
import dev.hypha.core.economy.SettlementPeriod;
import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.core.reputation.ObservedEvent;
import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import dev.hypha.spi.KvStore;
import dev.hypha.store.SettlementCursor;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles running work into the mutual-credit ledger: after each settlement period ends, every
 * pledged instance's measured usage over it becomes one entry {@code settle:<instance>:<periodStart>}
 * (host's member credited, workload's member debited, at the published prices).
 *
 * <p>Exactly once per (instance, period), through crashes, restarts and leader changes:
 * <ul>
 *   <li>periods are aligned to the epoch ({@link SettlementPeriod#containing}), so every server cuts
 *       time at the same instants and a replay computes the same entry ids;</li>
 *   <li>an instance's entries are written in one transaction with its {@link SettlementCursor}, each
 *       entry only if its key is absent (create-if-absent), and only if the cursor and the pledge are
 *       unchanged since they were read: a replay starts after the cursor, and a write that lost a
 *       race writes nothing and is retried on the next pass (several instances share a
 *       transaction, each with its own conditions; see {@link #MAX_TXN_PARTS});</li>
 *   <li>entries are never changed or deleted; a wrong one is compensated.</li>
 * </ul>
 * A leader that was away for a few periods settles them when it returns (at most
 * {@link #MAX_CATCH_UP_PERIODS} per instance; the latest health sample stands for them, see
 * {@link UsageMeter}).
 *
 * <p>Each pass also keeps pledges in line with instances (a replica placed without one gets one;
 * a pledge whose instance is gone is released), deletes a released pledge once its last period is
 * settled, expires manual pledges whose term ended, and records every settled usage sample as a
 * reputation observation of the host node (used against pledged resources, and energy per work).
 * Usage observations are recorded after their transaction committed, so a crash in between loses
 * one observation rather than counting it twice.
 *
 * <p>Called serially by one thread (the leader's controller loop), with the leader's fenced store.
 */
public final class SettlementController {
    private static final Logger log = LoggerFactory.getLogger(SettlementController.class);
    /** Periods one instance settles in one pass after an outage; older ones are skipped (and logged). */
    public static final int MAX_CATCH_UP_PERIODS = 32;
    /**
     * Conditions, and operations, one settlement transaction holds at most: several instances'
     * settlements go in one, since every commit is synced and the pass runs on the controller's
     * loop (a transaction per instance held up placements for seconds every period at a few
     * thousand instances). etcd allows 128 operations per transaction by default; one more
     * condition is the leader's fence.
     */
    static final int MAX_TXN_PARTS = 100;

    private final EconomyService economy;
    private final Duration interval;
    private final InstantSource clock;
    /** The latest sample of each pledged instance, so an instance removed mid-period is still measured. */
    private final Map<String, UsageMeter.Sample> samples = new HashMap<>();
    /** The period boundary the last pass settled up to; null before the first pass. */
    private Instant settledBoundary;

    public SettlementController(EconomyService economy, Duration interval, InstantSource clock) {
        if (interval.toMillis() <= 0) throw new IllegalArgumentException("the settle interval must be at least 1 ms, got " + interval);
        this.economy = economy;
        this.interval = interval;
        this.clock = clock;
    }

    /** What one pass did (for tests and logs). */
    public record Pass(boolean ran, List<LedgerEntry> entries, int pledgesCreated, int pledgesReleased,
                       int pledgesClosed, int racesLost) {
        static final Pass IDLE = new Pass(false, List.of(), 0, 0, 0, 0);
    }

    /**
     * Settles what ended since the last pass; returns at once when no period boundary passed since
     * then (the controller loop calls it on every pass).
     */
    public Pass settleOnce(StateStore store) {
        Instant now = clock.instant();
        Instant boundary = SettlementPeriod.containing(now, interval).start();
        if (settledBoundary != null && !boundary.isAfter(settledBoundary)) return Pass.IDLE;
        Pass pass = settle(store, now, boundary);
        if (pass.racesLost() == 0) settledBoundary = boundary;
        return pass;
    }

    private Pass settle(StateStore store, Instant now, Instant boundary) {
        // 1. Read pledges and cursors before instances: an instance placed meanwhile then shows up
        //    with its pledge (they are written together), never a pledge without its instance.
        Map<String, Versioned<Pledge>> pledges = new HashMap<>();
        for (KvStore.KeyValue kv : store.kv().range(store.pledges().prefix())) {
            pledges.put(store.pledges().idOf(kv.key()), store.pledges().decode(kv));
        }
        Map<String, Versioned<SettlementCursor>> cursors = new HashMap<>();
        for (KvStore.KeyValue kv : store.kv().range(store.settlements().prefix())) {
            cursors.put(store.settlements().idOf(kv.key()), store.settlements().decode(kv));
        }
        Map<String, Instance> instances = new HashMap<>();
        for (Instance i : store.instances().values()) instances.put(i.id(), i);
        Map<String, Node> nodes = new HashMap<>();
        for (Node n : store.nodes().values()) nodes.put(n.id(), n);
        for (Instance i : instances.values()) {
            Node n = i.nodeId() == null ? null : nodes.get(i.nodeId());
            boolean nodeUp = n != null && (n.state() == NodeState.ALIVE || n.state() == NodeState.SUSPECT);
            samples.put(i.id(), new UsageMeter.Sample(i.state(), i.startedAt(), i.metrics(), nodeUp));
        }
        Ledger ledger = economy.view().ledger();

        int created = 0, released = 0, closed = 0, races = 0;
        List<LedgerEntry> written = new ArrayList<>();
        List<ObservedEvent> usage = new ArrayList<>();
        Batch batch = new Batch(store);

        // 2. Every placed replica has a pledge: one placed before pledges existed, or by other code, gets one now.
        for (Instance i : instances.values()) {
            if (!i.isActive() || i.nodeId() == null || i.spec() == null || pledges.containsKey(i.id())) continue;
            Node node = nodes.get(i.nodeId());
            if (node == null) continue;
            Pledge p = Pledges.forPlacement(i, node, i.createdAt() != null ? i.createdAt() : now);
            if (store.pledges().create(i.id(), p)) created++;
        }

        for (Map.Entry<String, Versioned<Pledge>> e : pledges.entrySet()) {
            String key = e.getKey();
            Versioned<Pledge> vp = e.getValue();
            Pledge pledge = vp.value();
            if (pledge.instanceId() == null) {
                if (expireManual(store, key, vp, ledger, now)) closed++;
                continue;
            }
            // 3. A pledge whose instance is gone (removed by code that did not release it) is released now.
            if (pledge.isActive() && !instances.containsKey(pledge.instanceId())) {
                Pledge releasedPledge = pledge.release(now);
                if (store.commit(List.of(store.pledges().unchangedSince(key, vp.modRevision()),
                                store.instances().absent(pledge.instanceId())),
                        List.of(store.pledges().putOp(key, releasedPledge)))) {
                    released++;
                    pledge = releasedPledge;
                    vp = store.pledges().get(key).orElse(new Versioned<>(releasedPledge, vp.modRevision()));
                } else {
                    races++;
                    continue;
                }
            }
            // 4. Settle the periods that ended since the cursor, with other instances' in one transaction.
            Settling next = settlePledge(store, key, vp, cursors.get(pledge.instanceId()), ledger, boundary);
            if (next != null) batch.add(next);
        }
        batch.flush();
        for (Settling done : batch.committed) {
            written.addAll(done.entries());
            usage.addAll(done.usage());
            if (done.closes()) {
                closed++;
                samples.remove(done.instanceId());
            }
        }
        races += batch.racesLost;
        // Samples of instances that have neither an instance record nor a pledge any more are not needed.
        Set<String> keep = new HashSet<>(instances.keySet());
        for (Versioned<Pledge> vp : pledges.values()) {
            if (vp.value().instanceId() != null) keep.add(vp.value().instanceId());
        }
        samples.keySet().retainAll(keep);

        // 5. Only now, after the transactions committed, does the usage count for reputation.
        economy.reputation().recordAll(usage);
        if (!written.isEmpty() || created + released + closed > 0) economy.invalidate();
        if (!written.isEmpty()) log.debug("settled {} entries up to {}", written.size(), boundary);
        return new Pass(true, written, created, released, closed, races);
    }

    /**
     * One instance's settlement, to be written atomically: its entries (each only if absent) and
     * its cursor moved past them, or, for a released pledge now fully settled, the pledge and its
     * cursor deleted; all on condition that the cursor and the pledge are unchanged since read.
     */
    private record Settling(String instanceId, List<KvStore.Compare> compares, List<KvStore.Op> ops,
                            List<LedgerEntry> entries, List<ObservedEvent> usage, boolean closes) {}

    /**
     * Settlements waiting to be written, several per transaction. A transaction that fails (one
     * instance's cursor or pledge changed meanwhile) is written again one instance at a time, so
     * one lost race costs only that instance's settlement, which the next pass retries.
     */
    private static final class Batch {
        private final StateStore store;
        private final List<Settling> pending = new ArrayList<>();
        final List<Settling> committed = new ArrayList<>();
        int racesLost;
        private int compares;
        private int ops;

        Batch(StateStore store) {
            this.store = store;
        }

        void add(Settling s) {
            if (!pending.isEmpty() && (compares + s.compares().size() > MAX_TXN_PARTS
                    || ops + s.ops().size() > MAX_TXN_PARTS)) {
                flush();
            }
            pending.add(s);
            compares += s.compares().size();
            ops += s.ops().size();
        }

        void flush() {
            if (pending.isEmpty()) return;
            List<KvStore.Compare> allCompares = new ArrayList<>(compares);
            List<KvStore.Op> allOps = new ArrayList<>(ops);
            for (Settling s : pending) {
                allCompares.addAll(s.compares());
                allOps.addAll(s.ops());
            }
            if (store.commit(allCompares, allOps)) {
                committed.addAll(pending);
            } else if (pending.size() == 1) {
                racesLost++;
            } else {
                for (Settling s : pending) {
                    if (store.commit(s.compares(), s.ops())) committed.add(s);
                    else racesLost++;
                }
            }
            pending.clear();
            compares = 0;
            ops = 0;
        }
    }

    /**
     * What settling one pledge's open periods, up to {@code boundary} (or its release), writes;
     * null when there is nothing to write.
     */
    private Settling settlePledge(StateStore store, String key, Versioned<Pledge> vp,
                                  Versioned<SettlementCursor> cursor, Ledger ledger, Instant boundary) {
        Pledge pledge = vp.value();
        String instanceId = pledge.instanceId();
        Instant limit = pledge.releasedAt() != null && pledge.releasedAt().isBefore(boundary) ? pledge.releasedAt()
                : boundary;
        Instant cursorAt = cursor != null ? cursor.value().settledThrough()
                : SettlementPeriod.containing(pledge.createdAt(), interval).start();
        Instant from = cursorAt;
        if (from.isBefore(limit)) {
            Instant lastStart = SettlementPeriod.containing(limit.minusMillis(1), interval).start();
            Instant earliest = lastStart.minus(interval.multipliedBy(MAX_CATCH_UP_PERIODS - 1));
            if (from.isBefore(earliest)) {
                log.warn("instance {}: skipping the settlement of {} .. {} (more than {} periods behind)", instanceId,
                        from, earliest, MAX_CATCH_UP_PERIODS);
                from = earliest;
            }
        }

        // Periods [from, limit), aligned; the last one cut at the pledge's release.
        List<LedgerEntry> entries = new ArrayList<>();
        List<ObservedEvent> usage = new ArrayList<>();
        Instant settledThrough = from;
        UsageMeter.Sample sample = samples.get(instanceId);
        while (settledThrough.isBefore(limit)) {
            SettlementPeriod period = SettlementPeriod.containing(settledThrough, interval).endingAt(limit);
            UsageMeter.Measurement m = UsageMeter.measure(pledge, sample, period);
            Settlement.settle(pledge, period, m.usage(), economy.settings().prices())
                    .filter(entry -> !ledger.contains(entry.id()))
                    .ifPresent(entries::add);
            if (!m.isNothing() && m.runMillis() >= 1_000) {
                usage.add(new ObservedEvent(economy.reputation().observerId(), pledge.nodeId(), period.end(),
                        // Energy counts per unit of work: without measured cpu time there is no work to
                        // divide it by, and idle draw alone would make the node look wasteful.
                        new NodeEvent.UsageSampled(m.runMillis() / 1_000, pledge.resources(), m.cpuTimeMillis(),
                                m.memoryMb(), m.cpuTimeMillis() > 0 ? m.energyMillijoules() : null)));
            }
            settledThrough = period.end();
        }
        boolean closes = pledge.releasedAt() != null && !settledThrough.isBefore(pledge.releasedAt());
        boolean advances = settledThrough.isAfter(cursorAt);
        if (!closes && !advances) return null;

        // Written atomically: the entries (each only if absent), and the cursor moved past them, or,
        // for a released pledge now fully settled, the pledge and its cursor deleted.
        List<KvStore.Compare> compares = new ArrayList<>();
        List<KvStore.Op> ops = new ArrayList<>();
        compares.add(store.settlements().unchangedSince(instanceId, cursor == null ? 0 : cursor.modRevision()));
        compares.add(store.pledges().unchangedSince(key, vp.modRevision()));
        for (LedgerEntry entry : entries) {
            compares.add(store.ledger().absent(entry.id()));
            ops.add(store.ledger().putOp(entry.id(), entry));
        }
        if (closes) {
            ops.add(store.pledges().deleteOp(key));
            if (cursor != null) ops.add(store.settlements().deleteOp(instanceId));
        } else {
            ops.add(store.settlements().putOp(instanceId, new SettlementCursor(instanceId, settledThrough)));
        }
        return new Settling(instanceId, compares, ops, entries, usage, closes);
    }

    /** Deletes a manual pledge whose paid term has ended; returns whether it did. */
    private boolean expireManual(StateStore store, String key, Versioned<Pledge> vp, Ledger ledger, Instant now) {
        Optional<LedgerEntry> paid = ledger.entry(EconomyService.adjustmentIdOf(vp.value().id()));
        Instant end = paid.map(LedgerEntry::periodEnd).orElse(null);
        if (end == null || end.isAfter(now)) return false;
        return store.commit(List.of(store.pledges().unchangedSince(key, vp.modRevision())),
                List.of(store.pledges().deleteOp(key)));
    }
}
