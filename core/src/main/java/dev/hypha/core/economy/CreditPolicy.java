package dev.hypha.core.economy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Member;
import dev.hypha.model.Validation;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Credit limits per member: how far below zero a member may go before its new work loses
 * priority (soft limit) and then the right to run on other members' nodes (hard limit).
 *
 * <p>Limits are negative micro-credits: a member may take more than it gives, up to a point, which
 * is what lets a new member start before its own nodes have earned anything.
 *
 * @param softLimit default soft limit, micro-credits (e.g. -1,000 credits)
 * @param hardLimit default hard limit, micro-credits, at most the soft limit (e.g. -5,000 credits)
 * @param overrides per-member limits that replace the defaults
 */
public record CreditPolicy(long softLimit, long hardLimit, Map<String, Limits> overrides) {
    /** Soft -1,000 and hard -5,000 credits: about 12 and 60 days of four cores taken at default prices without giving back. */
    public static final CreditPolicy DEFAULT = new CreditPolicy(Credits.ofCredits(-1_000), Credits.ofCredits(-5_000),
            Map.of());

    public CreditPolicy {
        new Limits(softLimit, hardLimit); // the defaults obey the same rules as any member's limits
        overrides = Map.copyOf(overrides);
        for (String member : overrides.keySet()) Validation.name("credit limit override member", member);
    }

    /**
     * One member's pair of limits.
     *
     * @param soft micro-credits, at most zero
     * @param hard micro-credits, at most {@code soft}
     */
    public record Limits(long soft, long hard) {
        public Limits {
            if (soft > 0) {
                throw new InvalidSpecException("the soft credit limit must be zero or negative, got "
                        + Credits.format(soft) + " credits");
            }
            if (hard > soft) {
                throw new InvalidSpecException("the hard credit limit (" + Credits.format(hard)
                        + " credits) must not be above the soft limit (" + Credits.format(soft) + " credits)");
            }
        }
    }

    /** This policy with {@code member}'s limits set to {@code limits}. */
    public CreditPolicy withLimits(String member, Limits limits) {
        Map<String, Limits> next = new HashMap<>(overrides);
        next.put(member, limits);
        return new CreditPolicy(softLimit, hardLimit, next);
    }

    public Limits limitsOf(String member) {
        return overrides.getOrDefault(member, new Limits(softLimit, hardLimit));
    }

    /**
     * The member's standing at {@code balance} micro-credits: {@code Refused} strictly below the
     * hard limit, {@code LowPriority} strictly below the soft limit, {@code Ok} otherwise.
     */
    public CreditStanding check(String member, long balance) {
        Limits l = limitsOf(member);
        if (balance < l.hard()) return new CreditStanding.Refused(member, Math.subtractExact(l.hard(), balance), l.hard());
        if (balance < l.soft()) return new CreditStanding.LowPriority(member, Math.subtractExact(l.soft(), balance), l.soft());
        return new CreditStanding.Ok(member);
    }

    /** The member as {@code GET /api/v1/members} shows it; {@code credit_limit} is the hard limit. */
    public Member member(String member, long balance, List<String> nodes) {
        return new Member(member, balance, limitsOf(member).hard(), nodes);
    }

    /**
     * The order in which the controller places pending replicas of different members in one round:
     * members in good standing first, then low-priority ones, then refused ones (which only their
     * own nodes can take); within a rank, higher balances first, then by member id so the order is
     * deterministic.
     */
    public Comparator<String> placementOrder(ToLongFunction<String> balanceOf) {
        return Comparator.<String>comparingInt(m -> check(m, balanceOf.applyAsLong(m)).rank())
                .thenComparing(Comparator.<String>comparingLong(balanceOf).reversed())
                .thenComparing(Comparator.naturalOrder());
    }
}
