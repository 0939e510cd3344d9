package dev.hypha.store;

import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.Workload;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import dev.hypha.model.economy.ReputationState;
import dev.hypha.model.intent.Intent;
import dev.hypha.spi.KvStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane's typed state: one repository per kind of record, all in one {@link KvStore}.
 *
 * <p>Thread-safe (as the underlying store). Key layout, which every backend shares:
 * <pre>
 *   /hypha/workloads/&lt;name&gt;        Workload
 *   /hypha/instances/&lt;id&gt;          Instance (assignment + observed status)
 *   /hypha/nodes/&lt;id&gt;              Node
 *   /hypha/decisions/&lt;instance-id&gt; PlacementRecord (explain)
 *   /hypha/intents/&lt;id&gt;            Intent (goal, plan, status; owns one workload)
 *   /hypha/secrets/&lt;name&gt;          cluster secrets (tokens, gossip keys)
 *   /hypha/liveness/&lt;node-id&gt;      lease-bound key, present while an agent reports in
 *   /hypha/ledger/&lt;entry-id&gt;       LedgerEntry, written once and never changed (append-only)
 *   /hypha/pledges/&lt;instance-id&gt;   Pledge of a placed replica (manual pledges: manual:&lt;node&gt;:&lt;random&gt;)
 *   /hypha/settlements/&lt;instance&gt;  SettlementCursor: how far the instance's usage is settled
 *   /hypha/reputation/&lt;observer&gt;   ReputationState: one server's own observations (its single writer)
 * </pre>
 */
public final class StateStore implements AutoCloseable {
    public static final String ROOT = "/hypha/";
    public static final String LIVENESS = ROOT + "liveness/";

    private final KvStore kv;
    private final Repository<Workload> workloads;
    private final Repository<Instance> instances;
    private final Repository<Node> nodes;
    private final Repository<PlacementRecord> decisions;
    private final Repository<String> secrets;
    private final Repository<LedgerEntry> ledger;
    private final Repository<Pledge> pledges;
    private final Repository<SettlementCursor> settlements;
    private final Repository<ReputationState> reputation;
    private final Repository<Intent> intents;
    private final List<KvStore.Compare> guard;

    public StateStore(KvStore kv) {
        // Workloads and instances are written and then read back through watches: remember the writes.
        this(kv, new Repository<>(kv, ROOT + "workloads/", Workload.class).rememberingWrites(),
                new Repository<>(kv, ROOT + "instances/", Instance.class).rememberingWrites(),
                new Repository<>(kv, ROOT + "nodes/", Node.class),
                new Repository<>(kv, ROOT + "decisions/", PlacementRecord.class),
                new Repository<>(kv, ROOT + "secrets/", String.class),
                new Repository<>(kv, ROOT + "intents/", Intent.class),
                new Repository<>(kv, ROOT + "ledger/", LedgerEntry.class),
                new Repository<>(kv, ROOT + "pledges/", Pledge.class),
                new Repository<>(kv, ROOT + "settlements/", SettlementCursor.class),
                new Repository<>(kv, ROOT + "reputation/", ReputationState.class),
                List.of());
    }

    private StateStore(KvStore kv, Repository<Workload> workloads, Repository<Instance> instances,
                       Repository<Node> nodes, Repository<PlacementRecord> decisions, Repository<String> secrets,
                       Repository<Intent> intents, Repository<LedgerEntry> ledger, Repository<Pledge> pledges,
                       Repository<SettlementCursor> settlements, Repository<ReputationState> reputation,
                       List<KvStore.Compare> guard) {
        this.kv = kv;
        this.workloads = workloads;
        this.instances = instances;
        this.nodes = nodes;
        this.decisions = decisions;
        this.secrets = secrets;
        this.intents = intents;
        this.ledger = ledger;
        this.pledges = pledges;
        this.settlements = settlements;
        this.reputation = reputation;
        this.guard = List.copyOf(guard);
    }

    /** A view whose every write also requires {@code condition}: how a leader fences its writes. */
    /**
     * This store's records through {@code other}, a client of the same store (e.g. one whose writes
     * are fenced), sharing the records already decoded: building a view per controller pass from
     * scratch decoded every workload again on every pass.
     */
    public StateStore over(KvStore other) {
        return new StateStore(other, workloads.over(other), instances.over(other), nodes.over(other),
                decisions.over(other), secrets.over(other), intents.over(other), ledger.over(other),
                pledges.over(other), settlements.over(other), reputation.over(other), guard);
    }

    public StateStore guardedBy(KvStore.Compare condition) {
        List<KvStore.Compare> g = new ArrayList<>(guard);
        g.add(condition);
        return new StateStore(kv, workloads.guardedBy(condition), instances.guardedBy(condition),
                nodes.guardedBy(condition), decisions.guardedBy(condition), secrets.guardedBy(condition),
                intents.guardedBy(condition), ledger.guardedBy(condition), pledges.guardedBy(condition),
                settlements.guardedBy(condition), reputation.guardedBy(condition), g);
    }

    /**
     * Applies {@code ops} atomically if every one of {@code compares} (and this view's guard) holds:
     * how one change that spans repositories is written, e.g. an instance with its pledge. Build the
     * parts with {@link Repository#absent}, {@link Repository#unchangedSince}, {@link Repository#putOp}
     * and {@link Repository#deleteOp}. Returns false when a condition failed: nothing was written.
     */
    public boolean commit(List<KvStore.Compare> compares, List<KvStore.Op> ops) {
        List<KvStore.Compare> all = new ArrayList<>(guard);
        all.addAll(compares);
        return kv.txn(all, ops, List.of()).succeeded();
    }

    public KvStore kv() {
        return kv;
    }

    public Repository<Workload> workloads() {
        return workloads;
    }

    public Repository<Instance> instances() {
        return instances;
    }

    public Repository<Node> nodes() {
        return nodes;
    }

    public Repository<PlacementRecord> decisions() {
        return decisions;
    }

    public Repository<String> secrets() {
        return secrets;
    }

    public Repository<Intent> intents() {
        return intents;
    }

    /** The mutual-credit ledger's entries, by entry id; written create-if-absent, never changed. */
    public Repository<LedgerEntry> ledger() {
        return ledger;
    }

    /** Pledges: placed replicas' by instance id, manual ones by their own id. */
    public Repository<Pledge> pledges() {
        return pledges;
    }

    /** Settlement progress per placed instance. */
    public Repository<SettlementCursor> settlements() {
        return settlements;
    }

    /** Reputation observations, one state per observing server. */
    public Repository<ReputationState> reputation() {
        return reputation;
    }

    @Override
    public void close() {
        kv.close();
    }
}
