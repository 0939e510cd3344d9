package dev.hypha.store;

import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.Workload;
import dev.hypha.model.intent.Intent;
import dev.hypha.spi.KvStore;

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
    private final Repository<Intent> intents;

    public StateStore(KvStore kv) {
        this(kv, new Repository<>(kv, ROOT + "workloads/", Workload.class),
                new Repository<>(kv, ROOT + "instances/", Instance.class),
                new Repository<>(kv, ROOT + "nodes/", Node.class),
                new Repository<>(kv, ROOT + "decisions/", PlacementRecord.class),
                new Repository<>(kv, ROOT + "secrets/", String.class),
                new Repository<>(kv, ROOT + "intents/", Intent.class));
    }

    private StateStore(KvStore kv, Repository<Workload> workloads, Repository<Instance> instances,
                       Repository<Node> nodes, Repository<PlacementRecord> decisions, Repository<String> secrets,
                       Repository<Intent> intents) {
        this.kv = kv;
        this.workloads = workloads;
        this.instances = instances;
        this.nodes = nodes;
        this.decisions = decisions;
        this.secrets = secrets;
        this.intents = intents;
    }

    /** A view whose every write also requires {@code condition}: how a leader fences its writes. */
    public StateStore guardedBy(KvStore.Compare condition) {
        return new StateStore(kv, workloads.guardedBy(condition), instances.guardedBy(condition),
                nodes.guardedBy(condition), decisions.guardedBy(condition), secrets.guardedBy(condition),
                intents.guardedBy(condition));
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

    @Override
    public void close() {
        kv.close();
    }
}
