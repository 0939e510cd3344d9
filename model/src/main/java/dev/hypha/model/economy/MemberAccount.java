package dev.hypha.model.economy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;

/**
 * A member's standing in the ledger: what its nodes gave, what its workloads took, and the
 * difference. All in micro-credits.
 *
 * <p>{@code given} and {@code taken} count each entry net of its compensation (a reversed
 * settlement was neither given nor taken), so they measure real contribution and consumption;
 * the contribution ratio {@code given / (given + taken)} is computed from them.
 *
 * @param balance {@code given - taken}; positive when the member gave more than it took
 */
public record MemberAccount(String member, long balance, long given, long taken) {
    public MemberAccount {
        Validation.name("member", member);
        if (given < 0 || taken < 0) {
            throw new InvalidSpecException("member " + member + ": given and taken must not be negative, got given="
                    + given + " taken=" + taken);
        }
        if (balance != given - taken) {
            throw new InvalidSpecException("member " + member + ": balance " + balance + " must equal given " + given
                    + " minus taken " + taken);
        }
    }

    public static MemberAccount empty(String member) {
        return new MemberAccount(member, 0, 0, 0);
    }
}
