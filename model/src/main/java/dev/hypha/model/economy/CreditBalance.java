package dev.hypha.model.economy;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Resources;
import dev.hypha.model.Validation;

/**
 * A node's position in the credit graph (the seed's {@code CreditBalance}), as
 * {@code GET /api/v1/nodes/{id}/credit_balance} shows it.
 *
 * @param pledgedOut      resources this node currently holds for other members' workloads
 * @param receivedIn      resources other members' nodes currently hold for this node's member's workloads
 * @param reputationScore the node's overall reputation in 0..1
 * @param memberBalance   the ledger balance of the node's member, in micro-credits
 */
public record CreditBalance(
        String nodeId,
        String member,
        Resources pledgedOut,
        Resources receivedIn,
        double reputationScore,
        long memberBalance) {

    public CreditBalance {
        Validation.name("node_id", nodeId);
        Validation.name("member", member);
        if (pledgedOut == null || receivedIn == null) {
            throw new InvalidSpecException("credit balance of " + nodeId + ": pledged_out and received_in are required");
        }
        if (!(reputationScore >= 0 && reputationScore <= 1)) {
            throw new InvalidSpecException("reputation_score must be in 0..1, got " + reputationScore);
        }
    }
}
