package dev.hypha.server.economy;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.CreditStanding;
import dev.hypha.core.economy.Ledger;
import dev.hypha.core.economy.Pledges;
import dev.hypha.core.reputation.ReputationBook;
import dev.hypha.model.Member;
import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.economy.CreditBalance;
import dev.hypha.model.economy.Pledge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The economy at one moment, computed once and then shared: the ledger, the pledges, every node's
 * reputation with the trust behind it, and the credit policy that judges balances.
 *
 * <p>Why a value: the scheduler, the controllers and every API request read the same numbers within
 * one pass, and computing reputation (EigenTrust over all observations) once per pass instead of
 * once per request keeps requests cheap. Immutable and thread-safe.
 *
 * @param at              when it was computed (reputation decays with time)
 * @param nodes           every known node, by id
 * @param workloadMembers the members that submitted workloads (members without nodes or entries yet)
 * @param assessments     each node's reputation and the trust behind it, by node id
 */
public record EconomyView(Instant at, Ledger ledger, List<Pledge> pledges, SortedMap<String, Node> nodes,
                          Set<String> workloadMembers, SortedMap<String, ReputationBook.Assessment> assessments,
                          CreditPolicy creditPolicy) {
    public EconomyView {
        pledges = List.copyOf(pledges);
        nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        workloadMembers = Set.copyOf(workloadMembers);
        assessments = Collections.unmodifiableSortedMap(new TreeMap<>(assessments));
    }

    /** The node's reputation; {@link Reputation#NEUTRAL} for a node nobody has assessed yet. */
    public Reputation reputationOf(String nodeId) {
        ReputationBook.Assessment a = assessments.get(nodeId);
        return a == null ? Reputation.NEUTRAL : a.reputation();
    }

    /** Every assessed node's reputation, by node id (what the scheduler's snapshot carries). */
    public Map<String, Reputation> reputations() {
        Map<String, Reputation> out = new TreeMap<>();
        assessments.forEach((id, a) -> out.put(id, a.reputation()));
        return out;
    }

    public Optional<ReputationBook.Assessment> assessment(String nodeId) {
        return Optional.ofNullable(assessments.get(nodeId));
    }

    /** Each member's balance in micro-credits (members the ledger never saw are absent: zero). */
    public Map<String, Long> balances() {
        return ledger.balances();
    }

    public long balanceOf(String member) {
        return ledger.balanceOf(member);
    }

    public CreditStanding standingOf(String member) {
        return creditPolicy.check(member, balanceOf(member));
    }

    /** The node's position in the credit graph ({@code GET /nodes/{id}/credit_balance}). */
    public CreditBalance creditBalance(Node node) {
        return Pledges.creditBalance(node, pledges, ReputationBook.overall(reputationOf(node.id())),
                balanceOf(node.member()));
    }

    /** Every member: those owning nodes, submitting workloads, or appearing in the ledger; by id. */
    public List<Member> members() {
        SortedMap<String, List<String>> nodesOf = new TreeMap<>();
        for (Node n : nodes.values()) nodesOf.computeIfAbsent(n.member(), m -> new ArrayList<>()).add(n.id());
        Set<String> ids = new TreeSet<>(nodesOf.keySet());
        ids.addAll(workloadMembers);
        ids.addAll(ledger.balances().keySet());
        List<Member> out = new ArrayList<>(ids.size());
        for (String id : ids) out.add(creditPolicy.member(id, balanceOf(id), nodesOf.getOrDefault(id, List.of())));
        return out;
    }
}
