package dev.hypha.core.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.MemberAccount;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    static LedgerEntry move(String id, String from, String to, long amount) {
        return Ledger.adjustment(id, from, to, amount, "test", T0);
    }

    @Test
    void anEntryMovesCreditFromDebitToCredit() {
        Ledger l = Ledger.empty().post(move("a", "alice", "bob", 700)).ledger();
        assertThat(l.balances()).isEqualTo(Map.of("alice", -700L, "bob", 700L));
        assertThat(l.balanceOf("carol")).isZero();
        assertThat(l.total()).isZero();
        assertThat(l.account("alice")).isEqualTo(new MemberAccount("alice", -700, 0, 700));
        assertThat(l.account("bob")).isEqualTo(new MemberAccount("bob", 700, 700, 0));
        assertThat(l.account("carol")).isEqualTo(MemberAccount.empty("carol"));
    }

    @Test
    void postingAnExistingIdAddsNothingAndReportsConflicts() {
        Ledger l = Ledger.empty().post(move("a", "alice", "bob", 700)).ledger();
        Posting same = l.post(move("a", "alice", "bob", 700));
        assertThat(same.added()).isEmpty();
        assertThat(same.ignored()).hasSize(1);
        assertThat(same.conflicts()).isEmpty();
        assertThat(same.ledger()).isSameAs(l);

        Posting different = l.post(List.of(move("a", "alice", "bob", 999), move("b", "bob", "carol", 1)));
        assertThat(different.added()).extracting(LedgerEntry::id).containsExactly("b");
        assertThat(different.conflicts()).extracting(LedgerEntry::amount).containsExactly(999L);
        assertThat(different.ledger().balanceOf("alice")).isEqualTo(-700);
    }

    @Test
    void duplicatesWithinOneBatchCountOnce() {
        Posting p = Ledger.empty().post(List.of(move("a", "alice", "bob", 5), move("a", "alice", "bob", 5)));
        assertThat(p.added()).hasSize(1);
        assertThat(p.ignored()).hasSize(1);
        assertThat(p.ledger().balanceOf("bob")).isEqualTo(5);
    }

    @Test
    void compensationReversesOnceAndIsIdempotent() {
        Ledger l = Ledger.empty().post(List.of(move("a", "alice", "bob", 700), move("b", "bob", "carol", 100))).ledger();
        LedgerEntry c = l.compensation("a", "double-counted", T0.plusSeconds(1));
        assertThat(c.id()).isEqualTo("compensate:a");
        assertThat(c.kind()).isEqualTo(EntryKind.COMPENSATION);
        assertThat(c.debitMember()).isEqualTo("bob");
        assertThat(c.creditMember()).isEqualTo("alice");
        assertThat(c.compensates()).isEqualTo("a");

        Ledger after = l.post(c).ledger();
        assertThat(after.balances()).isEqualTo(Map.of("alice", 0L, "bob", -100L, "carol", 100L));
        // A reversed entry was neither given nor taken.
        assertThat(after.account("alice")).isEqualTo(MemberAccount.empty("alice"));
        assertThat(after.account("bob")).isEqualTo(new MemberAccount("bob", -100, 0, 100));
        assertThat(after.compensatedBy("a")).contains("compensate:a");
        assertThat(after.compensation("a", "again", T0.plusSeconds(5))).isEqualTo(c);
        assertThat(after.post(after.compensation("a", "again", T0.plusSeconds(5))).added()).isEmpty();
        assertThat(after.entries()).hasSize(3);
    }

    @Test
    void compensationsThatDoNotExactlyReverseOneEntryAreRefused() {
        Ledger l = Ledger.empty().post(move("a", "alice", "bob", 700)).ledger();
        LedgerEntry good = l.compensation("a", "r", T0);
        Ledger compensated = l.post(good).ledger();

        assertThatThrownBy(() -> l.post(comp("c1", "bob", "alice", 700, "zzz")))
                .isInstanceOf(LedgerException.class)
                .hasMessage("compensation c1 reverses entry zzz, which is not in the ledger");
        assertThatThrownBy(() -> l.post(comp("c1", "bob", "alice", 699, "a")))
                .hasMessage("compensation c1 must move 700 micro-credits from bob back to alice, but moves 699 from bob to alice");
        assertThatThrownBy(() -> l.post(comp("c1", "alice", "bob", 700, "a")))
                .hasMessageContaining("must move 700 micro-credits from bob back to alice");
        assertThatThrownBy(() -> compensated.post(comp("c2", "bob", "alice", 700, "a")))
                .hasMessage("entry a is already compensated by compensate:a, so compensation c2 would reverse it twice");
        assertThatThrownBy(() -> compensated.post(comp("c3", "alice", "bob", 700, "compensate:a")))
                .hasMessage("compensation c3 reverses compensate:a, which is itself a compensation: post a new entry instead");
        assertThatThrownBy(() -> compensated.compensation("compensate:a", "r", T0))
                .hasMessage("cannot compensate entry compensate:a: it is itself a compensation");
        assertThatThrownBy(() -> l.compensation("nope", "r", T0))
                .hasMessage("cannot compensate entry nope: it is not in the ledger");
    }

    @Test
    void aFailingBatchPostsNothing() {
        Ledger l = Ledger.empty().post(move("a", "alice", "bob", 700)).ledger();
        assertThatThrownBy(() -> l.post(List.of(move("b", "carol", "dave", 1), comp("c", "x-x", "y-y", 1, "missing"))))
                .isInstanceOf(LedgerException.class);
        assertThat(l.size()).isEqualTo(1);
        assertThat(l.contains("b")).isFalse();
    }

    @Test
    void aLedgerRebuiltFromItsEntriesIsEqual() {
        Ledger l = Ledger.empty().post(List.of(move("a", "alice", "bob", 700), move("b", "bob", "carol", 100))).ledger();
        l = l.post(l.compensation("b", "r", T0)).ledger();
        Ledger rebuilt = Ledger.of(l.entries());
        assertThat(rebuilt).isEqualTo(l);
        assertThat(rebuilt.accounts()).isEqualTo(l.accounts());
        assertThat(l.entriesOf("carol")).extracting(LedgerEntry::id).containsExactly("b", "compensate:b");
        assertThatThrownBy(() -> Ledger.of(List.of(move("a", "alice", "bob", 1), move("a", "alice", "bob", 2))))
                .hasMessage("ledger entry id a appears twice with different content");
    }

    @Test
    void overflowingAnAccountIsRefusedNotWrapped() {
        Ledger l = Ledger.empty().post(move("a", "alice", "bob", Long.MAX_VALUE)).ledger();
        assertThatThrownBy(() -> l.post(move("b", "carol", "bob", 1)))
                .isInstanceOf(LedgerException.class)
                .hasMessage("entry b would overflow the account of member bob");
    }

    @Test
    void entriesValidateThemselves() {
        assertThatThrownBy(() -> move("a", "alice", "alice", 1)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("ledger entry a must move credit between two different members, but both sides are 'alice'");
        assertThatThrownBy(() -> move("a", "alice", "bob", 0))
                .hasMessage("ledger entry a: amount must be a positive number of micro-credits, got 0");
        assertThatThrownBy(() -> new LedgerEntry("s", EntryKind.SETTLEMENT, "alice", "bob", 1, "web-1", null, null,
                "", T0, null)).hasMessage("ledger entry s: a settlement needs its period");
        assertThatThrownBy(() -> new LedgerEntry("s", EntryKind.SETTLEMENT, "alice", "bob", 1, "web-1", T0, T0,
                "", T0, null)).hasMessageContaining("must be before period_end");
        assertThatThrownBy(() -> new LedgerEntry("m", EntryKind.MANUAL_ADJUSTMENT, "alice", "bob", 1, null, null, null,
                "", T0, "x")).hasMessage("ledger entry m: only a compensation may name an entry it compensates");
        assertThatThrownBy(() -> Ledger.adjustment("m", "alice", "bob", 1, " ", T0))
                .hasMessage("adjustment reason is required and must not be empty");
    }

    private static LedgerEntry comp(String id, String from, String to, long amount, String compensates) {
        return new LedgerEntry(id, EntryKind.COMPENSATION, from, to, amount, null, null, null, "", T0, compensates);
    }
}
