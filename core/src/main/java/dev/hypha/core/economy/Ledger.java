package dev.hypha.core.economy;

import dev.hypha.model.Validation;
import dev.hypha.model.economy.EntryKind;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.model.economy.MemberAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mutual-credit ledger as an immutable value: an append-only list of double-entry
 * {@link LedgerEntry}s and the member balances they add up to.
 *
 * <p>Invariants, all kept by construction and tested as properties:
 * <ol>
 *   <li>the balances of all members sum to exactly zero (each entry takes from one member what it
 *       gives to another, in integer micro-credits);</li>
 *   <li>an entry is never edited or removed: it is undone by one {@link EntryKind#COMPENSATION}
 *       that moves the same amount back, and an entry is compensated at most once;</li>
 *   <li>posting an entry whose id is already present adds nothing, which makes settlement
 *       ({@code settle:<instance>:<periodStart>}) and compensation ({@code compensate:<id>})
 *       idempotent.</li>
 * </ol>
 *
 * <p>Posting copies the ledger's indexes (linear in its size), so post entries in batches, such as
 * one settlement round. The store holds the entries; a server rebuilds this value from them with
 * {@link #of}. Not thread-safe to build, safe to share once built (it never changes).
 */
public final class Ledger {
    private static final Ledger EMPTY = new Ledger(List.of(), Map.of(), Map.of(), Map.of(), Map.of());

    private final List<LedgerEntry> entries;
    private final Map<String, LedgerEntry> byId;
    /** Original entry id to the id of the compensation that reversed it. */
    private final Map<String, String> compensatedBy;
    /** Per member, micro-credits credited net of compensations (what its nodes gave). */
    private final Map<String, Long> given;
    /** Per member, micro-credits debited net of compensations (what its workloads took). */
    private final Map<String, Long> taken;

    private Ledger(List<LedgerEntry> entries, Map<String, LedgerEntry> byId, Map<String, String> compensatedBy,
                   Map<String, Long> given, Map<String, Long> taken) {
        this.entries = entries;
        this.byId = byId;
        this.compensatedBy = compensatedBy;
        this.given = given;
        this.taken = taken;
    }

    public static Ledger empty() {
        return EMPTY;
    }

    /**
     * The ledger these entries make, in order (as read back from the store).
     *
     * @throws LedgerException when two entries share an id with different content, or a
     *                         compensation does not reverse exactly one earlier entry
     */
    public static Ledger of(Collection<LedgerEntry> entries) {
        Posting p = EMPTY.post(List.copyOf(entries));
        if (!p.conflicts().isEmpty()) {
            LedgerEntry c = p.conflicts().getFirst();
            throw new LedgerException("ledger entry id " + c.id() + " appears twice with different content");
        }
        return p.ledger();
    }

    /** Posts one entry; see {@link #post(List)}. */
    public Posting post(LedgerEntry entry) {
        return post(List.of(entry));
    }

    /**
     * Appends the entries whose ids are new, in order; entries whose id is already present (in the
     * ledger or earlier in the batch) are ignored and reported in the posting.
     *
     * @throws LedgerException when a compensation does not exactly reverse one uncompensated,
     *                         non-compensation entry; nothing of the batch is posted then
     */
    public Posting post(List<LedgerEntry> batch) {
        List<LedgerEntry> nextEntries = new ArrayList<>(entries.size() + batch.size());
        nextEntries.addAll(entries);
        Map<String, LedgerEntry> nextById = new HashMap<>(byId);
        Map<String, String> nextCompensated = new HashMap<>(compensatedBy);
        Map<String, Long> nextGiven = new HashMap<>(given);
        Map<String, Long> nextTaken = new HashMap<>(taken);
        List<LedgerEntry> added = new ArrayList<>();
        List<LedgerEntry> ignored = new ArrayList<>();
        for (LedgerEntry e : batch) {
            if (nextById.containsKey(e.id())) {
                ignored.add(e);
                continue;
            }
            if (e.kind() == EntryKind.COMPENSATION) {
                LedgerEntry original = checkCompensation(e, nextById, nextCompensated);
                nextCompensated.put(original.id(), e.id());
                // A reversed entry was neither given nor taken: take it back out of both sums.
                add(nextGiven, original.creditMember(), -e.amount(), e);
                add(nextTaken, original.debitMember(), -e.amount(), e);
            } else {
                add(nextGiven, e.creditMember(), e.amount(), e);
                add(nextTaken, e.debitMember(), e.amount(), e);
            }
            nextById.put(e.id(), e);
            nextEntries.add(e);
            added.add(e);
        }
        if (added.isEmpty()) return new Posting(this, added, ignored);
        Ledger next = new Ledger(Collections.unmodifiableList(nextEntries), nextById, nextCompensated, nextGiven,
                nextTaken);
        return new Posting(next, added, ignored);
    }

    private static LedgerEntry checkCompensation(LedgerEntry c, Map<String, LedgerEntry> byId,
                                                 Map<String, String> compensatedBy) {
        LedgerEntry original = byId.get(c.compensates());
        if (original == null) {
            throw new LedgerException("compensation " + c.id() + " reverses entry " + c.compensates()
                    + ", which is not in the ledger");
        }
        if (original.kind() == EntryKind.COMPENSATION) {
            throw new LedgerException("compensation " + c.id() + " reverses " + original.id()
                    + ", which is itself a compensation: post a new entry instead");
        }
        String earlier = compensatedBy.get(original.id());
        if (earlier != null) {
            throw new LedgerException("entry " + original.id() + " is already compensated by " + earlier
                    + ", so compensation " + c.id() + " would reverse it twice");
        }
        if (c.amount() != original.amount() || !c.debitMember().equals(original.creditMember())
                || !c.creditMember().equals(original.debitMember())) {
            throw new LedgerException("compensation " + c.id() + " must move " + original.amount()
                    + " micro-credits from " + original.creditMember() + " back to " + original.debitMember()
                    + ", but moves " + c.amount() + " from " + c.debitMember() + " to " + c.creditMember());
        }
        return original;
    }

    private static void add(Map<String, Long> sums, String member, long delta, LedgerEntry cause) {
        try {
            sums.merge(member, delta, Math::addExact);
        } catch (ArithmeticException overflow) {
            throw new LedgerException("entry " + cause.id() + " would overflow the account of member " + member);
        }
    }

    /**
     * The entry that reverses {@code entryId}, with the deterministic id {@code compensate:<entryId>}
     * (posting it twice adds nothing). If the entry is already compensated, its compensation is
     * returned as it is.
     *
     * @throws LedgerException when the entry is unknown or is itself a compensation
     */
    public LedgerEntry compensation(String entryId, String reason, Instant at) {
        LedgerEntry original = byId.get(entryId);
        if (original == null) throw new LedgerException("cannot compensate entry " + entryId + ": it is not in the ledger");
        if (original.kind() == EntryKind.COMPENSATION) {
            throw new LedgerException("cannot compensate entry " + entryId + ": it is itself a compensation");
        }
        String existing = compensatedBy.get(entryId);
        if (existing != null) return byId.get(existing);
        return new LedgerEntry("compensate:" + entryId, EntryKind.COMPENSATION, original.creditMember(),
                original.debitMember(), original.amount(), original.instanceId(), original.periodStart(),
                original.periodEnd(), reason, at, entryId);
    }

    /** A manual adjustment moving {@code micro} micro-credits from {@code from} to {@code to}; {@code id} makes it idempotent. */
    public static LedgerEntry adjustment(String id, String from, String to, long micro, String reason, Instant at) {
        Validation.nonBlank("adjustment reason", reason);
        return new LedgerEntry(id, EntryKind.MANUAL_ADJUSTMENT, from, to, micro, null, null, null, reason, at, null);
    }

    /** The member's balance in micro-credits; zero for a member the ledger has never seen. */
    public long balanceOf(String member) {
        return given.getOrDefault(member, 0L) - taken.getOrDefault(member, 0L);
    }

    /** Every member's balance in micro-credits, by member id. */
    public SortedMap<String, Long> balances() {
        SortedMap<String, Long> out = new TreeMap<>();
        for (String m : members()) out.put(m, balanceOf(m));
        return Collections.unmodifiableSortedMap(out);
    }

    /** The sum of all balances; zero whenever the ledger is sound (exposed so callers can assert it). */
    public long total() {
        long sum = 0;
        for (long b : balances().values()) sum = Math.addExact(sum, b);
        return sum;
    }

    public MemberAccount account(String member) {
        long g = given.getOrDefault(member, 0L);
        long t = taken.getOrDefault(member, 0L);
        return new MemberAccount(member, g - t, g, t);
    }

    /** Every member's account, by member id. */
    public SortedMap<String, MemberAccount> accounts() {
        SortedMap<String, MemberAccount> out = new TreeMap<>();
        for (String m : members()) out.put(m, account(m));
        return Collections.unmodifiableSortedMap(out);
    }

    private Set<String> members() {
        Set<String> all = new TreeSet<>(given.keySet());
        all.addAll(taken.keySet());
        return all;
    }

    /** All entries in the order they were posted. */
    public List<LedgerEntry> entries() {
        return entries;
    }

    /** The entries that debit or credit {@code member}, in order (what {@code GET /ledger?member=M} shows). */
    public List<LedgerEntry> entriesOf(String member) {
        return entries.stream().filter(e -> e.debitMember().equals(member) || e.creditMember().equals(member)).toList();
    }

    public Optional<LedgerEntry> entry(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** The id of the compensation that reversed {@code entryId}, if any. */
    public Optional<String> compensatedBy(String entryId) {
        return Optional.ofNullable(compensatedBy.get(entryId));
    }

    public int size() {
        return entries.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ledger other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Ledger[" + entries.size() + " entries, balances " + balances() + "]";
    }
}
