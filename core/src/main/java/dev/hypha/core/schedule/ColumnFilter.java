package dev.hypha.core.schedule;

/**
 * A filter prepared for one placement request, reading the cluster's {@link NodeColumns} by node
 * position: the fast path of a {@link FilterPlugin} (see {@link FilterPlugin#prepare}).
 *
 * <p>Why a second form of a filter: a filter that reads a node's record follows several pointers
 * per node (snapshot, node, resources, strings), and on a large cluster each is a cache miss; the
 * columns hold the same facts in flat arrays, and what depends only on the request (a member's
 * credit standing, the allowed regions) is worked out once, in {@link FilterPlugin#prepare}. It
 * filters a few runs of neighbouring nodes per call (the sampler visits nodes in runs of
 * neighbours), so one call's cost is shared by dozens of nodes and its loop reads each column in
 * runs.
 */
@FunctionalInterface
public interface ColumnFilter {
    /** Lets every node through: the pipeline skips it for this request. */
    ColumnFilter PASS = (positions, count, rejections) -> {};

    /**
     * Filters the nodes at {@code positions[0..count-1]} (at most {@link NodeColumns#MAX_BATCH},
     * in the order the sample visits them: runs of neighbours): sets {@code rejections[i]} to the rejection of node
     * {@code positions[i]}, or to null when it fits. Must give exactly what
     * {@link FilterPlugin#filter} gives for each node: same verdict, same reason.
     */
    void test(int[] positions, int count, FilterResult.Rejected[] rejections);
}
