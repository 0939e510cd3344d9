package dev.hypha.core.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Member;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CreditPolicyTest {
    static final CreditPolicy POLICY = CreditPolicy.DEFAULT; // soft -1000, hard -5000 credits

    static Stream<Arguments> standings() {
        return Stream.of(
                Arguments.of(Credits.ofCredits(250), "Ok", "member alice is within its credit limits"),
                Arguments.of(0L, "Ok", "member alice is within its credit limits"),
                Arguments.of(Credits.ofCredits(-1_000), "Ok", "member alice is within its credit limits"),
                Arguments.of(Credits.ofCredits(-1_000) - 1, "LowPriority",
                        "member alice is 0.000001 credits over its soft credit limit of -1000:"
                                + " its new work is placed after other members' work"),
                Arguments.of(Credits.ofCredits(-5_000), "LowPriority",
                        "member alice is 4000 credits over its soft credit limit of -1000:"
                                + " its new work is placed after other members' work"),
                Arguments.of(Credits.ofCredits(-5_000) - 1_234_500_000L, "Refused",
                        "member alice is 1234.5 credits over its hard credit limit of -5000"),
                Arguments.of(Long.MIN_VALUE + Credits.ofCredits(5_000), "Refused",
                        "member alice is 9223372026854.775808 credits over its hard credit limit of -5000"));
    }

    @ParameterizedTest(name = "{0} micro-credits: {1}")
    @MethodSource("standings")
    void standingFollowsTheLimits(long balance, String standing, String message) {
        CreditStanding s = POLICY.check("alice", balance);
        assertThat(s.getClass().getSimpleName()).isEqualTo(standing);
        assertThat(s.member()).isEqualTo("alice");
        assertThat(s.message()).isEqualTo(message);
    }

    @Test
    void amountsOverTheLimitsArePositiveMicroCredits() {
        assertThat(POLICY.check("alice", Credits.ofCredits(-6_000)))
                .isEqualTo(new CreditStanding.Refused("alice", Credits.ofCredits(1_000), Credits.ofCredits(-5_000)));
        assertThat(POLICY.check("alice", Credits.ofCredits(-1_500)))
                .isEqualTo(new CreditStanding.LowPriority("alice", Credits.ofCredits(500), Credits.ofCredits(-1_000)));
    }

    @Test
    void perMemberLimitsReplaceTheDefaults() {
        CreditPolicy p = POLICY.withLimits("newcomer", new CreditPolicy.Limits(0, Credits.ofCredits(-10)));
        assertThat(p.check("newcomer", -1)).isInstanceOf(CreditStanding.LowPriority.class);
        assertThat(p.check("newcomer", Credits.ofCredits(-11))).isInstanceOf(CreditStanding.Refused.class);
        assertThat(p.check("alice", Credits.ofCredits(-11))).isInstanceOf(CreditStanding.Ok.class);
        assertThat(p.member("newcomer", -7, List.of("n9"))).isEqualTo(new Member("newcomer", -7, -10_000_000, List.of("n9")));
        assertThat(POLICY.member("alice", 0, List.of()).creditLimit()).isEqualTo(Credits.ofCredits(-5_000));
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new CreditPolicy(Credits.ofCredits(1), Credits.ofCredits(-1), Map.of()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("the soft credit limit must be zero or negative, got 1 credits");
        assertThatThrownBy(() -> new CreditPolicy(Credits.ofCredits(-10), Credits.ofCredits(-5), Map.of()))
                .hasMessage("the hard credit limit (-5 credits) must not be above the soft limit (-10 credits)");
        assertThatThrownBy(() -> POLICY.withLimits("Not A Name", new CreditPolicy.Limits(0, 0)))
                .hasMessageContaining("is not a valid name");
    }

    @Test
    void placementOrderPutsGoodStandingFirstThenHigherBalances() {
        Map<String, Long> balances = Map.of(
                "refused", Credits.ofCredits(-6_000),
                "low", Credits.ofCredits(-2_000),
                "lower", Credits.ofCredits(-3_000),
                "rich", Credits.ofCredits(100),
                "even-a", 0L,
                "even-b", 0L);
        List<String> order = Stream.of("refused", "lower", "even-b", "rich", "low", "even-a")
                .sorted(POLICY.placementOrder(balances::get)).toList();
        assertThat(order).containsExactly("rich", "even-a", "even-b", "low", "lower", "refused");
    }
}
