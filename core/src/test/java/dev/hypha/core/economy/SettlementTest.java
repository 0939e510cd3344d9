package dev.hypha.core.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Resources;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettlementTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration INTERVAL = Duration.ofSeconds(30);

    static Pledge pledge(String host, String owner) {
        return new Pledge("pledge:web-1", "n2", host, "web", owner, "web-1", new Resources(500, 256, 0), T0, null);
    }

    @Test
    void settlementCreditsTheHostAndDebitsTheWorkloadsMember() {
        SettlementPeriod period = SettlementPeriod.containing(T0.plusSeconds(5), INTERVAL);
        Optional<LedgerEntry> entry = Settlement.settle(pledge("bob", "alice"), period,
                new MeasuredUsage(15_000, 128, 0), PriceTable.DEFAULT);

        assertThat(entry).hasValueSatisfying(e -> {
            assertThat(e.id()).isEqualTo("settle:web-1:2026-03-01T12:00:00Z");
            assertThat(e.kind()).isEqualTo(EntryKind.SETTLEMENT);
            assertThat(e.creditMember()).isEqualTo("bob");
            assertThat(e.debitMember()).isEqualTo("alice");
            // 15 core-s x 250 = 3750; 128 MB x 30 s x 50 / 1024 = 187.5; floor once: 3937
            assertThat(e.amount()).isEqualTo(3_937);
            assertThat(e.instanceId()).isEqualTo("web-1");
            assertThat(e.periodStart()).isEqualTo(T0);
            assertThat(e.periodEnd()).isEqualTo(T0.plus(INTERVAL));
            assertThat(e.timestamp()).isEqualTo(e.periodEnd());
            assertThat(e.reason()).isEqualTo("node n2 hosted instance web-1 of workload web for 30000 ms:"
                    + " cpu 15 core-s, memory 128 MB average, disk 0 MB");
        });
    }

    @Test
    void settlingTheSamePeriodAgainGivesAnIdenticalEntry() {
        SettlementPeriod period = SettlementPeriod.containing(T0, INTERVAL);
        MeasuredUsage usage = new MeasuredUsage(1_234, 77, 5);
        assertThat(Settlement.settle(pledge("bob", "alice"), period, usage, PriceTable.DEFAULT))
                .isEqualTo(Settlement.settle(pledge("bob", "alice"), period, usage, PriceTable.DEFAULT));
    }

    @Test
    void aMemberHostingItsOwnWorkOwesNothing() {
        assertThat(Settlement.settle(pledge("alice", "alice"), SettlementPeriod.containing(T0, INTERVAL),
                new MeasuredUsage(15_000, 128, 0), PriceTable.DEFAULT)).isEmpty();
    }

    @Test
    void usageWorthLessThanOneMicroCreditMovesNothing() {
        assertThat(Settlement.settle(pledge("bob", "alice"), SettlementPeriod.containing(T0, INTERVAL),
                new MeasuredUsage(3, 0, 0), PriceTable.DEFAULT)).isEmpty();
    }

    @Test
    void manualPledgesAreNotSettledFromUsage() {
        Pledge manual = new Pledge("gift-1", "n2", "bob", "web", "alice", null, new Resources(500, 256, 0), T0, null);
        assertThatThrownBy(() -> Settlement.settle(manual, SettlementPeriod.containing(T0, INTERVAL),
                MeasuredUsage.NONE, PriceTable.DEFAULT)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("pledge gift-1 is a manual pledge without an instance");
    }

    @Test
    void periodsAreAlignedToTheIntervalSoEveryServerCutsTimeAlike() {
        SettlementPeriod a = SettlementPeriod.containing(Instant.parse("2026-03-01T12:00:29.999Z"), INTERVAL);
        SettlementPeriod b = SettlementPeriod.containing(Instant.parse("2026-03-01T12:00:00Z"), INTERVAL);
        assertThat(a).isEqualTo(b).isEqualTo(new SettlementPeriod(T0, T0.plusSeconds(30)));
        assertThat(a.next(INTERVAL)).isEqualTo(new SettlementPeriod(T0.plusSeconds(30), T0.plusSeconds(60)));
        assertThat(a.endingAt(T0.plusSeconds(12))).isEqualTo(new SettlementPeriod(T0, T0.plusSeconds(12)));
        assertThat(a.endingAt(T0.plusSeconds(99))).isEqualTo(a);
        assertThat(SettlementPeriod.containing(Instant.parse("1969-12-31T23:59:59Z"), INTERVAL).start())
                .isEqualTo(Instant.parse("1969-12-31T23:59:30Z"));
        assertThatThrownBy(() -> new SettlementPeriod(T0, T0)).hasMessageContaining("must end after it starts");
        assertThatThrownBy(() -> SettlementPeriod.containing(T0, Duration.ZERO))
                .hasMessageContaining("the settlement interval must be at least 1 ms");
    }
}
