package dev.hypha.agent;

import dev.hypha.model.Instance;
import java.util.Locale;
import java.util.Optional;

/**
 * The resource violations of one instance as its agent counts them: how often the replica used
 * more memory than it requested, and the latest such event in words.
 *
 * <p>A violation is a health sample whose memory use is at least {@link #MEMORY_SHARE_PERCENT} %
 * of the request (the cgroup limit may sit above the request, and use near the limit is an OOM
 * kill waiting to happen), or an OOM kill, which always counts. The counter belongs to the
 * workload: it is reported on the instance for the economy to read and is never held against
 * the node. Pure.
 *
 * @param count every violation seen so far (one per sample that showed it, one per OOM kill)
 * @param last  the latest violation in words, or null when there was none
 */
record ResourceViolations(int count, String last) {
    /** The share of the memory request from which a sample counts as a violation. */
    static final int MEMORY_SHARE_PERCENT = 95;
    private static final long MIB = 1024 * 1024;
    static final ResourceViolations NONE = new ResourceViolations(0, null);

    ResourceViolations {
        if (count < 0) throw new IllegalArgumentException("a violation count cannot be negative, got " + count);
    }

    /** What the instance already reported (the agent's memory after it restarted). */
    static ResourceViolations from(Instance i) {
        return new ResourceViolations(i.resourceViolations(), i.lastViolation());
    }

    /** One more violation, described by {@code what}. */
    ResourceViolations plus(String what) {
        return new ResourceViolations(count == Integer.MAX_VALUE ? count : count + 1, what);
    }

    /**
     * The violation a memory sample shows, if it shows one: use at or above
     * {@link #MEMORY_SHARE_PERCENT} % of the request.
     *
     * @param usageBytes      memory charged to the container's cgroup
     * @param requestMb       the replica's memory request
     */
    static Optional<String> memorySample(long usageBytes, long requestMb) {
        if (requestMb <= 0 || usageBytes <= 0) return Optional.empty();
        long requestBytes = requestMb * MIB;
        // usage/request ≥ 95/100, kept in integers; both sides fit a long up to 90 PiB of memory.
        if (usageBytes * 100 < requestBytes * MEMORY_SHARE_PERCENT) return Optional.empty();
        long percent = usageBytes * 100 / requestBytes;
        return Optional.of("memory use " + mib(usageBytes) + " is " + percent + "% of the " + requestMb
                + " MiB requested");
    }

    /** The violation of a container the kernel killed for its memory use. */
    static String oomKill(long requestMb) {
        return "OOM killed: memory use reached the container's limit (" + requestMb + " MiB requested)";
    }

    /** Bytes in MiB with one decimal, so use just under a request does not read as equal to it. */
    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", (double) bytes / MIB);
    }
}
