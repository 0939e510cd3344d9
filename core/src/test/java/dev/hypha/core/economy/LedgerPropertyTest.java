package dev.hypha.core.economy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.Resources;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.Pledge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ledger's invariants over random histories of placements, settlements (and their replays),
 * crashes, compensations and manual adjustments: after every step the balances sum to exactly
 * zero and match an independent running model, replays change nothing, and a compensation
 * restores the balances the ledger would have without the compensated entry.
 */
class LedgerPropertyTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final List<String> MEMBERS = List.of("alice", "bob", "carol", "dave", "erin");
    static final int STEPS = 400;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 25);
    }

    /** A running replica: its pledge and the next period to settle. */
    record Running(Pledge pledge, SettlementPeriod next) {}

    /** A settled (instance, period) with the usage measured for it, to replay later. */
    record Settled(Pledge pledge, SettlementPeriod period, MeasuredUsage usage) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantsHoldAfterEveryStep(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        PriceTable prices = new PriceTable(rnd.nextLong(1, 1_000), rnd.nextLong(0, 200), rnd.nextLong(0, 10));
        Map<String, String> nodeOwners = new TreeMap<>();
        for (int n = 0; n < 6; n++) nodeOwners.put("n" + n, pick(rnd, MEMBERS));

        Ledger ledger = Ledger.empty();
        Map<String, Long> model = new HashMap<>();
        List<Running> running = new ArrayList<>();
        List<Settled> settled = new ArrayList<>();
        int instances = 0, added = 0, replays = 0, compensations = 0;
        Instant now = T0;

        for (int step = 0; step < STEPS; step++) {
            String at = "seed " + seed + " step " + step;
            now = now.plusSeconds(rnd.nextLong(1, 20));
            Ledger before = ledger;
            int op = rnd.nextInt(100);
            List<LedgerEntry> expectedAdded = new ArrayList<>();

            if (op < 15 || running.isEmpty()) {
                // Place a replica: a pledge from the node's member to the workload's member.
                String node = pick(rnd, List.copyOf(nodeOwners.keySet()));
                String instance = "web-" + instances++;
                Pledge p = new Pledge(Pledges.idFor(instance), node, nodeOwners.get(node), "web", pick(rnd, MEMBERS),
                        instance, new Resources(rnd.nextLong(1, 4_000), rnd.nextLong(1, 8_192), rnd.nextLong(0, 1_000)),
                        now, null);
                running.add(new Running(p, SettlementPeriod.containing(now, INTERVAL)));
            } else if (op < 55) {
                // Settle the next period of a running replica.
                int k = rnd.nextInt(running.size());
                Running r = running.get(k);
                MeasuredUsage u = usage(rnd, r.pledge());
                Optional<LedgerEntry> e = Settlement.settle(r.pledge(), r.next(), u, prices);
                e.ifPresent(expectedAdded::add);
                settled.add(new Settled(r.pledge(), r.next(), u));
                running.set(k, new Running(r.pledge(), r.next().next(INTERVAL)));
                ledger = postAndCheck(ledger, e.map(List::of).orElse(List.of()), expectedAdded, model, at);
            } else if (op < 70 && !settled.isEmpty()) {
                // Replay a settlement already done (a restarted server settling again): nothing changes.
                Settled s = pick(rnd, settled);
                Optional<LedgerEntry> e = Settlement.settle(s.pledge(), s.period(), s.usage(), prices);
                Posting p = ledger.post(e.map(List::of).orElse(List.of()));
                assertThat(p.added()).as(at).isEmpty();
                assertThat(p.conflicts()).as(at).isEmpty();
                assertThat(p.ledger()).as(at).isSameAs(ledger);
                replays++;
            } else if (op < 80) {
                // A crash: settle the partial period up to now, then release the pledge.
                int k = rnd.nextInt(running.size());
                Running r = running.remove(k);
                if (now.isAfter(r.next().start())) {
                    SettlementPeriod partial = r.next().endingAt(now);
                    MeasuredUsage u = usage(rnd, r.pledge());
                    Optional<LedgerEntry> e = Settlement.settle(r.pledge(), partial, u, prices);
                    e.ifPresent(expectedAdded::add);
                    settled.add(new Settled(r.pledge(), partial, u));
                    ledger = postAndCheck(ledger, e.map(List::of).orElse(List.of()), expectedAdded, model, at);
                }
                assertThat(r.pledge().release(now).isActive()).isFalse();
            } else if (op < 92) {
                // Compensate a random entry that is not a compensation and not yet compensated.
                Ledger current = ledger;
                List<LedgerEntry> open = current.entries().stream()
                        .filter(e -> e.kind() != EntryKind.COMPENSATION && current.compensatedBy(e.id()).isEmpty())
                        .toList();
                if (!open.isEmpty()) {
                    LedgerEntry target = pick(rnd, open);
                    LedgerEntry c = ledger.compensation(target.id(), "disputed", now);
                    expectedAdded.add(c);
                    ledger = postAndCheck(ledger, List.of(c), expectedAdded, model, at);
                    // Compensation restores what the balances would be without the entry.
                    List<LedgerEntry> without = ledger.entries().stream()
                            .filter(e -> !e.id().equals(target.id()) && !e.id().equals(c.id())).toList();
                    assertThat(ledger.balances()).as(at).isEqualTo(nonZero(Ledger.of(without).balances(), ledger));
                    compensations++;
                }
            } else {
                // A manual adjustment between two members.
                String from = pick(rnd, MEMBERS), to = pick(rnd, MEMBERS);
                if (!from.equals(to)) {
                    LedgerEntry e = Ledger.adjustment("adjust-" + step, from, to, rnd.nextLong(1, 5_000_000), "gift", now);
                    expectedAdded.add(e);
                    ledger = postAndCheck(ledger, List.of(e), expectedAdded, model, at);
                }
            }
            added += ledger.size() - before.size();

            // After every step: exactly zero, and the same balances as the independent model.
            assertThat(ledger.total()).as(at).isZero();
            assertThat(ledger.balances().values().stream().mapToLong(Long::longValue).sum()).as(at).isZero();
            long given = ledger.accounts().values().stream().mapToLong(a -> a.given()).sum();
            long taken = ledger.accounts().values().stream().mapToLong(a -> a.taken()).sum();
            assertThat(given).as(at).isEqualTo(taken);
            for (String m : MEMBERS) {
                assertThat(ledger.balanceOf(m)).as(at + " balance of " + m).isEqualTo(model.getOrDefault(m, 0L));
            }
            // Append-only: the previous entries are a prefix of the new ones, unchanged.
            assertThat(ledger.entries().subList(0, before.size())).as(at).isEqualTo(before.entries());
        }
        assertThat(Ledger.of(ledger.entries())).isEqualTo(ledger);
        // The history must have exercised every kind of step.
        assertThat(added).as("entries posted").isGreaterThan(50);
        assertThat(replays).as("replays").isGreaterThan(10);
        assertThat(compensations).as("compensations").isGreaterThan(10);
    }

    /** Posts {@code batch}, checks exactly {@code expected} was added, and applies it to the model. */
    private static Ledger postAndCheck(Ledger ledger, List<LedgerEntry> batch, List<LedgerEntry> expected,
                                       Map<String, Long> model, String at) {
        Posting p = ledger.post(batch);
        assertThat(p.added()).as(at).isEqualTo(expected);
        for (LedgerEntry e : expected) {
            model.merge(e.debitMember(), -e.amount(), Long::sum);
            model.merge(e.creditMember(), e.amount(), Long::sum);
        }
        return p.ledger();
    }

    /** {@code rebuilt} with a zero entry for every member {@code reference} knows, so the maps compare. */
    private static Map<String, Long> nonZero(Map<String, Long> rebuilt, Ledger reference) {
        Map<String, Long> out = new TreeMap<>();
        for (String m : reference.balances().keySet()) out.put(m, rebuilt.getOrDefault(m, 0L));
        return out;
    }

    private static MeasuredUsage usage(RandomGenerator rnd, Pledge p) {
        long cpuMillis = rnd.nextLong(0, p.resources().cpuMillicores() * INTERVAL.toSeconds() * 2);
        return new MeasuredUsage(cpuMillis, rnd.nextLong(0, p.resources().memoryMb() * 2), p.resources().diskMb());
    }

    private static <T> T pick(RandomGenerator rnd, List<T> xs) {
        return xs.get(rnd.nextInt(xs.size()));
    }
}
