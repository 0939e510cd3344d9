package dev.hypha.model.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EconomyJsonTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    static <T> T roundTrip(T value, Class<T> type) {
        return Json.read(Json.bytes(value), type);
    }

    @Test
    void ledgerEntriesUseSnakeCaseAndLowerCaseKinds() {
        LedgerEntry e = new LedgerEntry("settle:web-1:2026-03-01T12:00:00Z", EntryKind.SETTLEMENT, "alice", "bob",
                3_937, "web-1", T0, T0.plusSeconds(30), "node n2 hosted web-1", T0.plusSeconds(30), null);
        String json = Json.string(e);
        assertThat(json).contains("\"kind\":\"settlement\"", "\"debit_member\":\"alice\"", "\"credit_member\":\"bob\"",
                "\"amount\":3937", "\"period_start\":\"2026-03-01T12:00:00Z\"", "\"instance_id\":\"web-1\"");
        assertThat(roundTrip(e, LedgerEntry.class)).isEqualTo(e);
        assertThat(EntryKind.parse("manual_adjustment")).isEqualTo(EntryKind.MANUAL_ADJUSTMENT);
        assertThatThrownBy(() -> EntryKind.parse("refund")).isInstanceOf(InvalidSpecException.class)
                .hasMessage("ledger entry kind 'refund' is not one of settlement, manual_adjustment, compensation");
    }

    @Test
    void aLedgerEntryThatBreaksTheRulesCannotBeRead() {
        String json = "{\"id\":\"x\",\"kind\":\"manual_adjustment\",\"debit_member\":\"alice\",\"credit_member\":\"bob\","
                + "\"amount\":-5,\"reason\":\"r\",\"timestamp\":\"2026-03-01T12:00:00Z\"}";
        assertThatThrownBy(() -> Json.read(json.getBytes(StandardCharsets.UTF_8), LedgerEntry.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("ledger entry x: amount must be a positive number of micro-credits, got -5");
    }

    @Test
    void pledgesAndCreditBalancesRoundTrip() {
        Pledge p = new Pledge("pledge:web-1", "n2", "bob", "web", "alice", "web-1", new Resources(250, 64, 0), T0, null);
        assertThat(roundTrip(p, Pledge.class)).isEqualTo(p);
        assertThat(roundTrip(p.release(T0.plusSeconds(5)), Pledge.class).releasedAt()).isEqualTo(T0.plusSeconds(5));

        CreditBalance b = new CreditBalance("n2", "bob", new Resources(250, 64, 0), Resources.ZERO, 0.82, -1_500);
        assertThat(Json.string(b)).isEqualTo("{\"node_id\":\"n2\",\"member\":\"bob\","
                + "\"pledged_out\":{\"cpu_millicores\":250,\"memory_mb\":64,\"disk_mb\":0},"
                + "\"received_in\":{\"cpu_millicores\":0,\"memory_mb\":0,\"disk_mb\":0},"
                + "\"reputation_score\":0.82,\"member_balance\":-1500}");
        assertThat(roundTrip(b, CreditBalance.class)).isEqualTo(b);
        assertThatThrownBy(() -> new CreditBalance("n2", "bob", Resources.ZERO, Resources.ZERO, 1.5, 0))
                .hasMessage("reputation_score must be in 0..1, got 1.5");
    }

    @Test
    void memberAccountsAreConsistent() {
        assertThat(roundTrip(new MemberAccount("bob", 7, 10, 3), MemberAccount.class))
                .isEqualTo(new MemberAccount("bob", 7, 10, 3));
        assertThatThrownBy(() -> new MemberAccount("bob", 8, 10, 3))
                .hasMessage("member bob: balance 8 must equal given 10 minus taken 3");
        assertThatThrownBy(() -> new MemberAccount("bob", 3, -1, -4))
                .hasMessage("member bob: given and taken must not be negative, got given=-1 taken=-4");
    }

    @Test
    void observationsLeaveOutZeroCountersAndReadThemBackAsZero() {
        Observation o = new Observation("server-1", "n1", 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
        assertThat(Json.string(o)).isEqualTo("{\"observer\":\"server-1\",\"subject\":\"n1\",\"starts_succeeded\":3,"
                + "\"probe_failures\":1}");
        assertThat(roundTrip(o, Observation.class)).isEqualTo(o);
        ReputationState s = new ReputationState(3_600_000, List.of(o, Observation.empty("a", "b", 7)));
        assertThat(roundTrip(s, ReputationState.class)).isEqualTo(s);
        assertThatThrownBy(() -> Json.read("{\"observer\":\"a\",\"subject\":\"b\",\"stars\":1}"
                .getBytes(StandardCharsets.UTF_8), Observation.class))
                .hasMessageContaining("Unrecognized field \"stars\"");
        assertThatThrownBy(() -> new ReputationState(0, List.of()))
                .hasMessage("reputation bucket_millis must be positive, got 0");
    }
}
