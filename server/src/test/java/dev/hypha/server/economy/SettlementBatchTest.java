package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.PriceTable;
import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.Node;
import dev.hypha.model.Workload;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.server.Schedulers;
import dev.hypha.server.control.WorkloadController;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.ForwardingKvStore;
import dev.hypha.store.kv.SqliteKvStore;
import dev.hypha.testkit.fixtures.NodeBuilder;
import dev.hypha.testkit.fixtures.WorkloadBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settlement writes several instances in one transaction: a pass settles all of them with one
 * write, and when one instance's pledge changes between the read and the write, the others are
 * still settled and that one is settled by the next pass, once.
 */
class SettlementBatchTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    @TempDir(factory = MemoryBackedTempDir.class)
    Path dir;

    /** A store that runs {@code beforeNextSettlement} once, just before the next transaction that moves a settlement cursor. */
    private static final class RacingStore extends ForwardingKvStore {
        final AtomicReference<Runnable> beforeNextSettlement = new AtomicReference<>();

        RacingStore(KvStore store) {
            super(store);
        }

        @Override
        public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
            if (onSuccess.stream().anyMatch(op -> op.key().startsWith(StateStore.ROOT + "settlements/"))) {
                Runnable race = beforeNextSettlement.getAndSet(null);
                if (race != null) race.run();
            }
            return delegate.txn(compares, onSuccess, onFailure);
        }
    }

    private static Node node(String id, String member) {
        return NodeBuilder.node(id).member(member).cpu(8_000).memory(16_384).registeredAt(Instant.EPOCH)
                .lastSeen(Instant.EPOCH).build();
    }

    @Test
    void onePassSettlesEveryInstanceInOneWriteAndALostRaceCostsOnlyItsInstance() {
        ManualClock clock = new ManualClock(Instant.parse("2025-06-01T12:00:03Z"));
        EconomySettings settings = EconomySettings.defaults()
                .withPrices(new PriceTable(Credits.ofCredits(1), Credits.ofCredits(1), 0))
                .withCreditPolicy(new CreditPolicy(Credits.ofCredits(-1_000), Credits.ofCredits(-2_000), Map.of()));
        RacingStore kv = new RacingStore(new SqliteKvStore(dir.resolve("state.db")));
        try (StateStore store = new StateStore(kv)) {
            store.nodes().put("n1", node("n1", "alice"));
            store.nodes().put("n2", node("n2", "bob"));
            Workload w = WorkloadBuilder.workload("web").member("carol").replicas(4).cpu(500).memory(64).noEnv()
                    .createdAt(Instant.EPOCH).build();
            store.workloads().create(w.name(), w);
            EconomyService economy = new EconomyService(store, settings, "server-test", clock);
            new WorkloadController(Schedulers.forProfile("mycelial", settings.weights(), settings.creditPolicy()),
                    clock, economy).reconcileOnce(store);
            List<Instance> placed = store.instances().values();
            assertThat(placed).hasSize(4);
            for (Instance i : placed) {
                store.instances().modify(i.id(), cur -> cur.withObserved(new InstanceStatusReport(cur.id(),
                        InstanceState.RUNNING, cur.id(), 100L, 0, clock.instant(), null, null,
                        new ContainerHealthMetrics(50, 32, 0, 0, 1, true))));
            }
            SettlementController settlement = new SettlementController(economy, INTERVAL, clock);

            // 1. Every instance's period settles in one transaction.
            clock.advance(INTERVAL);
            long before = store.kv().revision();
            SettlementController.Pass first = settlement.settleOnce(store);
            assertThat(first.racesLost()).isZero();
            assertThat(first.entries()).extracting(LedgerEntry::instanceId)
                    .containsExactlyInAnyOrderElementsOf(placed.stream().map(Instance::id).toList());
            assertThat(store.kv().revision() - before).as("one write for the whole pass").isEqualTo(1);

            // 2. One instance's pledge changes between the pass's read and its write.
            String loser = placed.get(2).id();
            kv.beforeNextSettlement.set(() -> store.pledges().put(loser, store.pledges().value(loser).orElseThrow()));
            clock.advance(INTERVAL);
            SettlementController.Pass second = settlement.settleOnce(store);
            assertThat(second.racesLost()).isEqualTo(1);
            assertThat(second.entries()).extracting(LedgerEntry::instanceId).hasSize(3).doesNotContain(loser);

            // 3. The next pass settles it, once, and nothing else again.
            SettlementController.Pass third = settlement.settleOnce(store);
            assertThat(third.racesLost()).isZero();
            assertThat(third.entries()).extracting(LedgerEntry::instanceId).containsExactly(loser);
            assertThat(settlement.settleOnce(store).entries()).isEmpty();
            assertThat(store.ledger().values()).hasSize(8);
        }
    }
}
