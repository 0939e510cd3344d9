package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.Ledger;
import dev.hypha.core.economy.Pledges;
import dev.hypha.core.economy.PriceTable;
import dev.hypha.core.economy.SettlementPeriod;
import dev.hypha.model.AgentProtocol;
import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.Json;
import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import dev.hypha.server.Schedulers;
import dev.hypha.server.control.WorkloadController;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.SqliteKvStore;
import dev.hypha.testkit.fixtures.NodeBuilder;
import dev.hypha.testkit.fixtures.WorkloadBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ledger's invariants under seeded random histories driven through the real controllers
 * (workload controller, settlement controller, economy service) on a real SQLite store, with a
 * manual clock: placements, scale changes, deletions, agents reporting usage and failures, node
 * deaths, manual pledges, and server crashes (every in-memory part rebuilt from the store).
 *
 * <p>After every step: the balances sum to exactly zero; no stored entry ever changed or vanished;
 * settlements are aligned to the interval and never overlap for one instance; every active instance
 * has an active pledge. After every crash: settling again at the same instant writes nothing.
 */
class LedgerPropertyTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final List<String> MEMBERS = List.of("alice", "bob", "carol", "dave"); // dave owns no node

    @TempDir(factory = MemoryBackedTempDir.class)
    Path dir;

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 6).map(s -> s * 7_919).boxed();
    }

    /** Everything a server keeps in memory: rebuilt from the store after a crash. */
    private record Server(EconomyService economy, WorkloadController workloads, SettlementController settlement) {}

    private Server boot(StateStore store, ManualClock clock, EconomySettings settings) {
        EconomyService economy = new EconomyService(store, settings, "server-test", clock);
        WorkloadController workloads = new WorkloadController(
                Schedulers.forProfile("mycelial", settings.weights(), settings.creditPolicy()), clock, economy);
        return new Server(economy, workloads, new SettlementController(economy, INTERVAL, clock));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void balancesSumToZeroAndSettlementIsExactlyOnce(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        ManualClock clock = new ManualClock(Instant.parse("2025-06-01T12:00:03Z"));
        // Prices high and limits tight, so amounts are large and members do cross their limits.
        EconomySettings settings = EconomySettings.defaults()
                .withPrices(new PriceTable(Credits.ofCredits(1), Credits.ofCredits(1), 1_000))
                .withCreditPolicy(new CreditPolicy(Credits.ofCredits(-50), Credits.ofCredits(-200), Map.of()));
        try (StateStore store = new StateStore(new SqliteKvStore(dir.resolve("seed-" + seed + ".db")))) {
            store.nodes().put("n1", node("n1", "alice"));
            store.nodes().put("n2", node("n2", "bob"));
            store.nodes().put("n3", node("n3", "carol"));
            store.nodes().put("n4", node("n4", "carol"));
            Server server = boot(store, clock, settings);
            Map<String, String> seen = new TreeMap<>();
            int crashes = 0;
            for (int step = 0; step < 60; step++) {
                String what = switch (random.nextInt(10)) {
                    case 0, 1 -> createWorkload(store, random, step);
                    case 2 -> scaleOrDelete(store, random);
                    case 3 -> killOrReviveNode(store, random);
                    case 4 -> manualPledge(server.economy(), store, random);
                    case 5 -> {
                        // A crash: a fresh server settles what is due, crashes too, and a third one
                        // replays the same pass at the same instant.
                        server = boot(store, clock, settings);
                        server.settlement().settleOnce(store);
                        long revision = store.kv().revision();
                        server = boot(store, clock, settings);
                        var replay = server.settlement().settleOnce(store);
                        assertThat(replay.entries()).as("seed %d step %d: replayed settlement", seed, step).isEmpty();
                        assertThat(store.kv().revision()).as("seed %d step %d: a replay writes nothing", seed, step)
                                .isEqualTo(revision);
                        crashes++;
                        yield "crash";
                    }
                    default -> {
                        clock.advance(Duration.ofMillis(500 + random.nextInt(15_000)));
                        yield "time";
                    }
                };
                server.workloads().reconcileOnce(store);
                reportAsAgents(server.economy(), store, random);
                server.settlement().settleOnce(store);
                check(store, server.economy(), seen, "seed " + seed + " step " + step + " (" + what + ")");
            }
            // Run out the clock: everything stops, every pledge is settled to its end and closed.
            for (Workload w : store.workloads().values()) store.workloads().delete(w.name());
            for (int k = 0; k < 30 && !store.instances().values().isEmpty(); k++) {
                clock.advance(INTERVAL);
                server.workloads().reconcileOnce(store);
                reportAsAgents(server.economy(), store, random);
                server.settlement().settleOnce(store);
            }
            clock.advance(INTERVAL.multipliedBy(2));
            server.settlement().settleOnce(store);
            check(store, server.economy(), seen, "seed " + seed + " at the end");
            assertThat(store.pledges().values()).as("seed %d: placed replicas' pledges are closed", seed)
                    .allMatch(p -> p.instanceId() == null);
            assertThat(store.settlements().values()).isEmpty();
            assertThat(seen.keySet()).as("seed %d: the history settled something", seed)
                    .anyMatch(id -> id.startsWith("settle:"));
            assertThat(crashes + seen.size()).isPositive();
        }
    }

    private static Node node(String id, String member) {
        return NodeBuilder.node(id).member(member).cpu(8_000).memory(16_384).registeredAt(Instant.EPOCH)
                .lastSeen(Instant.EPOCH).build();
    }

    private static String createWorkload(StateStore store, RandomGenerator random, int step) {
        String member = MEMBERS.get(random.nextInt(MEMBERS.size()));
        Workload w = WorkloadBuilder.workload("w" + step).member(member).replicas(1 + random.nextInt(4))
                .cpu(100 + 100L * random.nextInt(5)).memory(32 + 32L * random.nextInt(4)).noEnv()
                .createdAt(Instant.EPOCH).build();
        store.workloads().create(w.name(), w);
        return "create " + w.name() + " of " + member;
    }

    private static String scaleOrDelete(StateStore store, RandomGenerator random) {
        List<Workload> all = store.workloads().values();
        if (all.isEmpty()) return "nothing to scale";
        Workload w = all.get(random.nextInt(all.size()));
        if (random.nextInt(3) == 0) {
            store.workloads().delete(w.name());
            return "delete " + w.name();
        }
        int replicas = random.nextInt(5);
        store.workloads().modify(w.name(), cur -> cur.update(cur.spec().withReplicas(replicas)));
        return "scale " + w.name() + " to " + replicas;
    }

    private static String killOrReviveNode(StateStore store, RandomGenerator random) {
        String id = "n" + (1 + random.nextInt(4));
        Node n = store.nodes().value(id).orElseThrow();
        NodeState next = n.state() == NodeState.DEAD ? NodeState.ALIVE : NodeState.DEAD;
        store.nodes().put(id, n.withState(next, null));
        return id + " " + next;
    }

    private static String manualPledge(EconomyService economy, StateStore store, RandomGenerator random) {
        List<Workload> all = store.workloads().values();
        if (all.isEmpty()) return "nothing to pledge to";
        Workload w = all.get(random.nextInt(all.size()));
        String nodeId = "n" + (1 + random.nextInt(4));
        if (store.nodes().value(nodeId).orElseThrow().member().equals(w.member())) return "no pledge to itself";
        economy.pledge(nodeId, w.name(), new Resources(100 + random.nextInt(900), 64, 0),
                Duration.ofSeconds(1 + random.nextInt(60)));
        return "pledge " + nodeId + " to " + w.name();
    }

    /** What agents would report: pending replicas start (or fail), running ones report usage, some crash. */
    private static void reportAsAgents(EconomyService economy, StateStore store, RandomGenerator random) {
        Instant now = economy.clock().instant();
        Map<String, NodeState> nodes = store.nodes().values().stream()
                .collect(Collectors.toMap(Node::id, Node::state));
        Map<String, List<AgentProtocol.StartOutcome>> starts = new HashMap<>();
        for (Instance i : store.instances().values()) {
            if (nodes.get(i.nodeId()) != NodeState.ALIVE) continue; // a dead node's agent is silent
            InstanceStatusReport report = switch (i.state()) {
                case PENDING -> {
                    boolean fails = random.nextInt(6) == 0;
                    starts.computeIfAbsent(i.nodeId(), k -> new ArrayList<>()).add(fails
                            ? AgentProtocol.StartOutcome.failed(i.id(), true, "runtime failed", now)
                            : AgentProtocol.StartOutcome.succeeded(i.id(), now));
                    yield fails ? report(i, InstanceState.FAILED, null, null)
                            : report(i, InstanceState.RUNNING, now, metrics(i, random));
                }
                case RUNNING -> i.desired() == DesiredState.STOP
                        ? report(i, InstanceState.STOPPED, i.startedAt(), null)
                        : random.nextInt(12) == 0 ? report(i, InstanceState.FAILED, i.startedAt(), null)
                        : report(i, InstanceState.RUNNING, i.startedAt(), metrics(i, random));
                default -> i.desired() == DesiredState.STOP && !i.state().isTerminal()
                        ? report(i, InstanceState.STOPPED, i.startedAt(), null) : null;
            };
            if (report != null) store.instances().modify(i.id(), cur -> cur.withObserved(report));
        }
        starts.forEach(economy::startsReported);
    }

    private static InstanceStatusReport report(Instance i, InstanceState state, Instant startedAt,
                                               ContainerHealthMetrics metrics) {
        return new InstanceStatusReport(i.id(), state, state == InstanceState.RUNNING ? i.id() : null, null,
                i.restarts(), startedAt, state.isTerminal() ? 1 : null, null, metrics);
    }

    private static ContainerHealthMetrics metrics(Instance i, RandomGenerator random) {
        // Sometimes above the request: settlement charges what was measured.
        double cpuPercent = random.nextDouble() * i.spec().resources().cpuMillicores() / 5.0;
        long memory = random.nextLong(2 * i.spec().resources().memoryMb() + 1);
        return new ContainerHealthMetrics(cpuPercent, memory, 10, 0, random.nextDouble() * 5, true);
    }

    private static void check(StateStore store, EconomyService economy, Map<String, String> seen, String when) {
        // In the order they were written (entries are never modified: their revision is their creation).
        List<LedgerEntry> stored = store.kv().range(store.ledger().prefix()).stream()
                .sorted(Comparator.comparingLong(KvStore.KeyValue::modRevision))
                .map(kv -> store.ledger().decodeValue(kv.value())).toList();
        Ledger ledger = Ledger.of(stored);
        assertThat(ledger.total()).as("%s: the balances sum to zero", when).isZero();
        assertThat(economy.view().balances().values().stream().mapToLong(Long::longValue).sum())
                .as("%s: the server's balances sum to zero", when).isZero();
        assertThat(economy.view().balances()).as("%s: the server's view is the stored ledger", when)
                .isEqualTo(ledger.balances());

        // Append-only: every entry seen before is still there, unchanged.
        Map<String, String> now = stored.stream().collect(Collectors.toMap(LedgerEntry::id, Json::string));
        seen.forEach((id, json) -> assertThat(now.get(id)).as("%s: entry %s unchanged", when, id).isEqualTo(json));
        seen.putAll(now);

        // One settlement per (instance, period): aligned periods that never overlap for one instance.
        Map<String, List<LedgerEntry>> byInstance = stored.stream().filter(e -> e.kind() == EntryKind.SETTLEMENT)
                .collect(Collectors.groupingBy(LedgerEntry::instanceId));
        byInstance.forEach((instance, entries) -> {
            List<LedgerEntry> sorted = entries.stream().sorted((a, b) -> a.periodStart().compareTo(b.periodStart())).toList();
            for (int k = 0; k < sorted.size(); k++) {
                LedgerEntry e = sorted.get(k);
                assertThat(SettlementPeriod.containing(e.periodStart(), INTERVAL).start()).as("%s: %s aligned", when, e.id())
                        .isEqualTo(e.periodStart());
                assertThat(Duration.between(e.periodStart(), e.periodEnd())).isLessThanOrEqualTo(INTERVAL);
                if (k > 0) assertThat(e.periodStart()).as("%s: %s after the previous period", when, e.id())
                        .isAfterOrEqualTo(sorted.get(k - 1).periodEnd());
            }
        });

        // Every active replica has an active pledge from its node's member to its workload's member.
        Map<String, Pledge> pledges = store.pledges().values().stream().collect(Collectors.toMap(Pledge::id, p -> p));
        Map<String, String> memberOf = store.nodes().values().stream().collect(Collectors.toMap(Node::id, Node::member));
        for (Instance i : store.instances().values()) {
            if (!i.isActive()) continue;
            Pledge p = pledges.get(Pledges.idFor(i.id()));
            assertThat(p).as("%s: pledge of %s", when, i.id()).isNotNull();
            assertThat(p.isActive()).isTrue();
            assertThat(p.hostMember()).isEqualTo(memberOf.get(i.nodeId()));
            assertThat(p.workloadMember()).isEqualTo(i.spec().member());
        }
        Set<String> instanceIds = store.instances().values().stream().map(Instance::id).collect(Collectors.toSet());
        for (Pledge p : pledges.values()) {
            if (p.instanceId() != null && p.isActive()) {
                assertThat(instanceIds).as("%s: active pledge %s has its instance", when, p.id()).contains(p.instanceId());
            }
        }
    }
}
