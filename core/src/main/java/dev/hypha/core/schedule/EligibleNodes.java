package dev.hypha.core.schedule;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.Arrays;

/**
 * The nodes a sampled request may be placed on as far as its filters' {@link NodeRestriction}s
 * say: their positions in ascending order, which the scheduler samples from; and the nodes the
 * restrictions leave out, counted into the decision per restricting filter.
 *
 * <p>With {@code indexed}, the positions come from the {@link NodeColumns}' region and member
 * indexes: a region is one slice of the region index, a member's nodes one slice of the member
 * index, and the union of several regions is merged once per version of the index and kept (a
 * controller pass asks for the same few sets again and again). Without, every node is tested; the
 * scheduler's tests compare both, so the indexes are checked against the nodes themselves.
 *
 * <p>What it finds depends only on the snapshot and the request, never on what the indexes held
 * before or on the ids the columns gave regions and members: the positions are in snapshot order,
 * and the rejections sampled for the nodes left out are the first ones in snapshot order.
 * Mutable and not thread-safe: {@link PipelineScheduler} keeps one per thread.
 */
final class EligibleNodes {
    private static final int[] NONE = new int[0];
    /** Unions of regions kept at most; a cluster's workloads list few distinct sets. */
    private static final int CACHED_UNIONS = 16;

    private final boolean indexed;
    private Resolved[] resolved = new Resolved[0];
    private int[] buffer = NONE;
    private int[] array = NONE;
    private int offset;
    private int size;

    private final long[] unionMasks = new long[CACHED_UNIONS];
    private final int[][] unions = new int[CACHED_UNIONS][];
    private int unionCount;
    private int unionNext;
    private long unionGeneration = -1;

    EligibleNodes(boolean indexed) {
        this.indexed = indexed;
    }

    /** The eligible positions are {@code array()[offset() .. offset() + size() - 1]}. */
    int[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    int size() {
        return size;
    }

    /**
     * Finds the positions inside every one of {@code restrictions[0 .. count - 1]}, stated by the
     * filters at {@code filters[0 .. count - 1]} of the profile (ascending), and records the nodes
     * outside in {@code tally}: each under the first restricting filter that leaves it out, the
     * first {@link RejectionTally#PER_REASON} of each in snapshot order with their explanation,
     * the rest as a count.
     */
    void resolve(NodeColumns nodes, int count, int[] filters, NodeRestriction[] restrictions, RejectionTally tally,
                 PlacementRequest request, ClusterSnapshot snapshot) {
        if (resolved.length < count) {
            resolved = Arrays.copyOf(resolved, count);
            for (int i = 0; i < count; i++) if (resolved[i] == null) resolved[i] = new Resolved();
        }
        int smallest = 0;
        for (int i = 0; i < count; i++) {
            resolve(nodes, restrictions[i], filters[i], resolved[i]);
            if (resolved[i].size < resolved[smallest].size) smallest = i;
        }
        if (count == 1) {
            Resolved only = resolved[0];
            array = only.array;
            offset = only.offset;
            size = only.size;
        } else {
            // The smallest set, less what the others leave out.
            Resolved base = resolved[smallest];
            if (buffer.length < base.size) buffer = new int[Math.max(base.size, 2 * buffer.length)];
            int kept = 0;
            for (int j = base.offset, end = base.offset + base.size; j < end; j++) {
                int p = base.array[j];
                if (allowedByAll(nodes, p, count, smallest)) buffer[kept++] = p;
            }
            array = buffer;
            offset = 0;
            size = kept;
        }
        tallyExcluded(nodes, count, tally, request, snapshot);
    }

    private boolean allowedByAll(NodeColumns nodes, int position, int count, int except) {
        for (int i = 0; i < count; i++) {
            if (i != except && !resolved[i].allows(nodes, position)) return false;
        }
        return true;
    }

    /** Counts the nodes each restriction leaves out (and no earlier one did), and samples the first few. */
    private void tallyExcluded(NodeColumns nodes, int count, RejectionTally tally, PlacementRequest request,
                               ClusterSnapshot snapshot) {
        int n = nodes.size();
        int remaining = 0;
        int inPrevious = n;
        for (int i = 0; i < count; i++) {
            // How many nodes every restriction up to i allows: the last is the eligible set itself.
            int inAll = i == 0 ? resolved[0].size : i == count - 1 ? size : intersectionSize(nodes, i);
            Resolved r = resolved[i];
            r.excluded = inPrevious - inAll;
            r.quota = Math.min(RejectionTally.PER_REASON, r.excluded);
            r.sampled = 0;
            remaining += r.quota;
            inPrevious = inAll;
        }
        // The first left-out nodes in snapshot order: typically a few steps, as most nodes are left out.
        for (int p = 0; p < n && remaining > 0; p++) {
            for (int i = 0; i < count; i++) {
                Resolved r = resolved[i];
                if (r.allows(nodes, p)) continue;
                if (r.sampled < r.quota) {
                    tally.record(r.filter, r.rejection, request, nodes.node(p), snapshot);
                    r.sampled++;
                    remaining--;
                }
                break;
            }
        }
        for (int i = 0; i < count; i++) {
            Resolved r = resolved[i];
            tally.add(r.filter, r.rejection, r.excluded - r.sampled);
        }
    }

    /** How many nodes restrictions 0 .. last all allow, counted over the smallest of them. */
    private int intersectionSize(NodeColumns nodes, int last) {
        int smallest = 0;
        for (int i = 1; i <= last; i++) if (resolved[i].size < resolved[smallest].size) smallest = i;
        Resolved base = resolved[smallest];
        int in = 0;
        for (int j = base.offset, end = base.offset + base.size; j < end; j++) {
            if (allowedByAll(nodes, base.array[j], last + 1, smallest)) in++;
        }
        return in;
    }

    private void resolve(NodeColumns nodes, NodeRestriction restriction, int filter, Resolved into) {
        into.filter = filter;
        into.rejection = restriction.rejection();
        switch (restriction) {
            case NodeRestriction.InRegions(var names, var rejection) -> {
                boolean[] allowed = new boolean[nodes.regions()];
                long mask = 0;
                int distinct = 0;
                int last = -1;
                for (String name : names) {
                    int id = nodes.regionId(name);
                    if (id < 0 || allowed[id]) continue;
                    allowed[id] = true;
                    distinct++;
                    last = id;
                    mask = id < Long.SIZE && mask != -1 ? mask | 1L << id : -1;
                }
                into.regions = allowed;
                into.member = -1;
                if (!indexed) {
                    scan(nodes, into);
                } else if (distinct <= 1) {
                    slice(nodes.byRegion(), last, into);
                } else {
                    union(nodes, allowed, mask, into);
                }
            }
            case NodeRestriction.OwnedBy(var member, var rejection) -> {
                into.regions = null;
                into.member = nodes.memberId(member);
                if (!indexed) {
                    scan(nodes, into);
                } else {
                    slice(nodes.byMember(), into.member, into);
                }
            }
        }
    }

    private static void slice(PositionIndex index, int group, Resolved into) {
        if (group < 0) {
            into.array = NONE;
            into.offset = 0;
            into.size = 0;
            return;
        }
        into.array = index.positions();
        into.offset = index.start(group);
        into.size = index.size(group);
    }

    /** Several regions: their slices merged into one ascending list, kept for this version of the index. */
    private void union(NodeColumns nodes, boolean[] allowed, long mask, Resolved into) {
        PositionIndex index = nodes.byRegion();
        if (index.generation() != unionGeneration) {
            unionGeneration = index.generation();
            unionCount = 0;
            unionNext = 0;
            Arrays.fill(unions, null);
        }
        if (mask != -1) {
            for (int u = 0; u < unionCount; u++) {
                if (unionMasks[u] == mask) {
                    into.array = unions[u];
                    into.offset = 0;
                    into.size = unions[u].length;
                    return;
                }
            }
        }
        int total = 0;
        for (int g = 0; g < allowed.length; g++) if (allowed[g]) total += index.size(g);
        int[] merged = new int[total];
        int at = 0;
        for (int g = 0; g < allowed.length; g++) {
            if (!allowed[g]) continue;
            System.arraycopy(index.positions(), index.start(g), merged, at, index.size(g));
            at += index.size(g);
        }
        Arrays.sort(merged);
        if (mask != -1) {
            unionMasks[unionNext] = mask;
            unions[unionNext] = merged;
            unionNext = (unionNext + 1) % CACHED_UNIONS;
            if (unionCount < CACHED_UNIONS) unionCount++;
        }
        into.array = merged;
        into.offset = 0;
        into.size = total;
    }

    /** Without the indexes: every node tested, in snapshot order. */
    private static void scan(NodeColumns nodes, Resolved into) {
        int[] found = new int[nodes.size()];
        int size = 0;
        for (int p = 0; p < nodes.size(); p++) if (into.allows(nodes, p)) found[size++] = p;
        into.array = found;
        into.offset = 0;
        into.size = size;
    }

    /** One restriction resolved against the columns, and what it left out of one request. */
    private static final class Resolved {
        int filter;
        FilterResult.Rejected rejection;
        /** Allowed region ids, or null for a member restriction. */
        boolean[] regions;
        /** The allowed member's id (-1: a member that owns no node). */
        int member;
        int[] array;
        int offset;
        int size;
        int excluded;
        int quota;
        int sampled;

        boolean allows(NodeColumns nodes, int position) {
            return regions != null ? regions[nodes.region(position)] : nodes.member(position) == member;
        }
    }
}
