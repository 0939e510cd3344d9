package dev.hypha.server.economy;

import dev.hypha.core.economy.CreditStanding;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.Ledger;
import dev.hypha.core.economy.LedgerException;
import dev.hypha.core.economy.MeasuredUsage;
import dev.hypha.core.economy.Posting;
import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.core.reputation.ObservedEvent;
import dev.hypha.core.reputation.ReputationBook;
import dev.hypha.core.reputation.ReputationCrdt;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import dev.hypha.model.economy.ReputationState;
import dev.hypha.server.api.ApiException;
import dev.hypha.server.api.EconomyHooks;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The economy of one running server: it keeps the current {@link EconomyView}, records what the
 * server observes of nodes into its {@link ReputationRecorder}, checks credit before new work is
 * accepted, and records manual pledges.
 *
 * <p>Everything it shows is rebuilt from the store (ledger entries, pledges, the servers' stored
 * observations), so a restarted server, or a second one on the same store, shows the same economy.
 * The ledger is read incrementally: entries never change, so only new keys are decoded.
 *
 * <p>Thread-safe: the API's handlers and the controller loop call it concurrently.
 */
public final class EconomyService implements EconomyHooks {
    private static final Logger log = LoggerFactory.getLogger(EconomyService.class);
    /** Longest term of a manual pledge: thirty days. */
    public static final Duration MAX_PLEDGE_TERM = Duration.ofDays(30);
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final StateStore store;
    private final EconomySettings settings;
    private final ReputationRecorder reputation;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    // Guarded by this.
    private EconomyView cached;
    private boolean stale = true;
    /** Whether what {@link #standingView()} serves (balances, reputations) changed since the view was computed. */
    private boolean standingStale = true;
    private Ledger ledger = Ledger.empty();
    private final Set<String> ledgerKeys = new HashSet<>();

    /**
     * @param store      the server's store (reads, and writes any server may make: manual pledges)
     * @param observerId this server's id: the observer of its reputation rows and a pre-trusted peer
     */
    public EconomyService(StateStore store, EconomySettings settings, String observerId, InstantSource clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.reputation = new ReputationRecorder(observerId, settings.reputation());
        this.reputation.load(store);
    }

    public EconomySettings settings() {
        return settings;
    }

    /** This server's reputation observations, and the seam gossip merges into and disseminates from. */
    public ReputationRecorder reputation() {
        return reputation;
    }

    public InstantSource clock() {
        return clock;
    }

    // ---- the view ----

    /** The current view: computed again when older than {@link EconomySettings#viewMaxAge()} or after a change. */
    public synchronized EconomyView view() {
        Instant now = clock.instant();
        if (cached != null && !stale && !now.isBefore(cached.at())
                && Duration.between(cached.at(), now).compareTo(settings.viewMaxAge()) < 0) {
            return cached;
        }
        cached = compute(now);
        stale = false;
        standingStale = false;
        return cached;
    }

    /**
     * A view whose ledger balances, credit standings and reputations are current (as {@link #view()}
     * gives them), though its pledges may be behind: placing and removing replicas changes pledges
     * only, and the admission check and the controller read nothing else. The controller changes
     * pledges on nearly every pass, so reading them all again for each new workload and each pass
     * cost more than the rest of the admission.
     */
    public synchronized EconomyView standingView() {
        Instant now = clock.instant();
        if (cached != null && !standingStale && !now.isBefore(cached.at())
                && Duration.between(cached.at(), now).compareTo(settings.viewMaxAge()) < 0) {
            return cached;
        }
        return view();
    }

    /**
     * The current view if it knows node {@code nodeId}, a fresh one if the node registered after the
     * view was computed, or empty when the store has no such node (so unknown ids never force a
     * recomputation).
     */
    public Optional<EconomyView> viewKnowing(String nodeId) {
        EconomyView v = view();
        if (v.nodes().containsKey(nodeId)) return Optional.of(v);
        if (store.nodes().get(nodeId).isEmpty()) return Optional.empty();
        invalidate();
        v = view();
        return v.nodes().containsKey(nodeId) ? Optional.of(v) : Optional.empty();
    }

    /** Marks the view out of date: the next {@link #view()} reads the store again. */
    public synchronized void invalidate() {
        stale = true;
        standingStale = true;
    }

    /**
     * Marks the view's pledges out of date (replicas were placed or removed): the next
     * {@link #view()} reads the store again; {@link #standingView()} may still serve it.
     */
    public synchronized void invalidatePledges() {
        stale = true;
    }

    private EconomyView compute(Instant now) {
        // Pledges before nodes and workloads: a view never shows a pledge whose node it does not know.
        List<Pledge> pledges = store.pledges().values();
        Map<String, Node> nodes = new TreeMap<>();
        for (Node n : store.nodes().values()) nodes.put(n.id(), n);
        Set<String> workloadMembers = new TreeSet<>();
        for (Workload w : store.workloads().values()) workloadMembers.add(w.member());
        Ledger current = refreshLedger();

        Map<String, ReputationState> slices = new TreeMap<>();
        for (KvStore.KeyValue kv : store.kv().range(store.reputation().prefix())) {
            try {
                slices.put(store.reputation().idOf(kv.key()), store.reputation().decodeValue(kv.value()));
            } catch (RuntimeException e) {
                log.warn("skipping unreadable reputation state {}: {}", kv.key(), e.toString());
            }
        }
        ReputationCrdt all = reputation.cluster(slices.values());
        // The servers are the pre-trusted observers: only they write /hypha/reputation/<observer>.
        Set<String> preTrusted = new TreeSet<>(slices.keySet());
        preTrusted.add(reputation.observerId());
        ReputationBook book = new ReputationBook(settings.reputation(), preTrusted);
        var assessments = book.assess(all, nodes.values(), current.accounts(), now);
        return new EconomyView(now, current, pledges, new TreeMap<>(nodes), workloadMembers, assessments,
                settings.creditPolicy());
    }

    /** Posts the ledger entries stored since the last read, in the order they were written. */
    private Ledger refreshLedger() {
        List<KvStore.KeyValue> fresh = new ArrayList<>();
        for (KvStore.KeyValue kv : store.kv().range(store.ledger().prefix())) {
            if (!ledgerKeys.contains(kv.key())) fresh.add(kv);
        }
        if (fresh.isEmpty()) return ledger;
        // Entries are written once, so their modification revision is their creation order:
        // a compensation always comes after the entry it reverses.
        fresh.sort(Comparator.comparingLong(KvStore.KeyValue::modRevision));
        List<LedgerEntry> entries = new ArrayList<>(fresh.size());
        for (KvStore.KeyValue kv : fresh) {
            ledgerKeys.add(kv.key());
            try {
                entries.add(store.ledger().decodeValue(kv.value()));
            } catch (RuntimeException e) {
                log.error("ledger entry {} cannot be read and is left out of every balance: {}", kv.key(), e.toString());
            }
        }
        try {
            ledger = post(ledger, entries);
        } catch (LedgerException e) {
            // One bad entry must not hide the rest: post one by one, leaving out what the ledger refuses.
            for (LedgerEntry entry : entries) {
                try {
                    ledger = post(ledger, List.of(entry));
                } catch (LedgerException bad) {
                    log.error("ledger entry {} is left out of every balance: {}", entry.id(), bad.getMessage());
                }
            }
        }
        return ledger;
    }

    private static Ledger post(Ledger ledger, List<LedgerEntry> entries) {
        Posting p = ledger.post(entries);
        for (LedgerEntry c : p.conflicts()) {
            log.warn("ledger entry {} was stored twice with different content; the first stays", c.id());
        }
        return p.ledger();
    }

    // ---- hooks for the core API ----

    @Override
    public Reputation reputationOf(String nodeId) {
        return view().reputationOf(nodeId);
    }

    @Override
    public void admitWorkload(WorkloadSpec spec, Workload current) {
        boolean addsReplicas = current == null ? spec.replicas() > 0 : spec.replicas() > current.replicas();
        if (!addsReplicas) return;
        EconomyView v = standingView();
        if (v.standingOf(spec.member()) instanceof CreditStanding.Refused refused) {
            // CreditStanding's sentence ends with the limit's number: the unit follows here.
            throw ApiException.unprocessable(refused.message() + " credits (balance "
                    + Credits.format(v.balanceOf(spec.member()))
                    + " credits): it may not place new work until its balance is back above the limit,"
                    + " which its nodes earn by hosting other members' work");
        }
    }

    @Override
    public void startsReported(String nodeId, List<AgentProtocol.StartOutcome> starts) {
        if (starts.isEmpty()) return;
        // The server's clock dates the observation: an agent's clock may be off, and a bucket in the
        // future would outweigh every current one.
        Instant now = clock.instant();
        List<ObservedEvent> events = new ArrayList<>(starts.size());
        for (AgentProtocol.StartOutcome s : starts) {
            NodeEvent event = s.succeeded() ? new NodeEvent.ContainerStarted()
                    : new NodeEvent.StartFailed(s.nodeFault() ? NodeEvent.StartFailure.NODE : NodeEvent.StartFailure.WORKLOAD);
            events.add(new ObservedEvent(reputation.observerId(), nodeId, now, event));
        }
        reputation.recordAll(events);
    }

    /** Records that {@code instance} was lost because its node died (counts against the node). */
    public void instanceLost(Instance instance) {
        if (instance.nodeId() == null) return;
        reputation.record(instance.nodeId(), new NodeEvent.InstanceLost(), clock.instant());
    }

    /** Writes this server's new reputation observations to the store, if any. */
    public void flushReputation() {
        if (reputation.flush(store, clock.instant())) invalidate();
    }

    // ---- manual pledges ----

    /** A manual pledge as recorded: the pledge and the adjustment that paid for its term. */
    public record ManualPledge(Pledge pledge, LedgerEntry entry) {}

    /**
     * Records that node {@code nodeId} pledges {@code resources} to {@code workload} for {@code term}
     * ({@code POST /api/v1/nodes/{id}/pledge}): a manual pledge, active for the term, and one
     * {@link EntryKind#MANUAL_ADJUSTMENT} that credits the node's member and debits the workload's
     * member the price of those resources held for the term. Both are written in one transaction.
     */
    public ManualPledge pledge(String nodeId, String workloadName, Resources resources, Duration term) {
        Node node = store.nodes().value(nodeId)
                .orElseThrow(() -> ApiException.notFound("node '" + nodeId + "' does not exist"));
        Workload workload = store.workloads().value(workloadName)
                .orElseThrow(() -> ApiException.notFound("workload '" + workloadName + "' does not exist"));
        if (resources.equals(Resources.ZERO)) {
            throw ApiException.badRequest("pledge something: cpu_millicores, memory_mb or disk_mb must be positive");
        }
        if (term.compareTo(Duration.ofSeconds(1)) < 0 || term.compareTo(MAX_PLEDGE_TERM) > 0) {
            throw ApiException.badRequest("duration_seconds must be between 1 and " + MAX_PLEDGE_TERM.toSeconds()
                    + " (30 days), got " + term.toSeconds());
        }
        if (node.member().equals(workload.member())) {
            throw ApiException.unprocessable("node '" + nodeId + "' and workload '" + workloadName
                    + "' both belong to member " + node.member() + ": a member pledging to itself moves no credit");
        }
        long seconds = term.toSeconds();
        MeasuredUsage held = new MeasuredUsage(Math.multiplyExact(resources.cpuMillicores(), seconds),
                resources.memoryMb(), resources.diskMb());
        long amount = settings.prices().charge(held, term);
        if (amount <= 0) {
            throw ApiException.unprocessable("the pledge is worth less than one micro-credit at the published prices;"
                    + " pledge more, or for longer");
        }
        Instant now = clock.instant();
        String id = "manual:" + nodeId + ":" + randomSuffix();
        Pledge pledge = new Pledge(id, nodeId, node.member(), workloadName, workload.member(), null, resources, now, null);
        LedgerEntry entry = new LedgerEntry(adjustmentIdOf(id), EntryKind.MANUAL_ADJUSTMENT, workload.member(),
                node.member(), amount, null, now, now.plus(term),
                "manual pledge by node " + nodeId + " to workload " + workloadName + ": cpu " + resources.cpuMillicores()
                        + "m, memory " + resources.memoryMb() + " MB, disk " + resources.diskMb() + " MB for "
                        + seconds + " s",
                now, null);
        boolean written = store.commit(
                List.of(store.pledges().absent(id), store.ledger().absent(entry.id())),
                List.of(store.pledges().putOp(id, pledge), store.ledger().putOp(entry.id(), entry)));
        if (!written) throw ApiException.conflict("a pledge with id " + id + " already exists; try again");
        invalidate();
        log.info("manual pledge {}: {} micro-credits from {} to {}", id, amount, workload.member(), node.member());
        return new ManualPledge(pledge, entry);
    }

    /** The id of the adjustment that paid for manual pledge {@code pledgeId}. */
    public static String adjustmentIdOf(String pledgeId) {
        return "adjust:" + pledgeId;
    }

    private String randomSuffix() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return sb.toString();
    }
}
