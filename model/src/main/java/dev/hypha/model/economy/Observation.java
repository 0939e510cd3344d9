package dev.hypha.model.economy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;

/**
 * What one observer saw one subject node do during one time bucket: grow-only counters of facts,
 * not opinions.
 *
 * <p>Only the observer writes its own rows, and its counters only grow, so two copies of a row
 * merge by taking the larger value of each counter (a state-based CRDT; see
 * {@code dev.hypha.core.reputation.ReputationCrdt}). Zero counters are left out of the JSON, which
 * keeps gossip small: most rows carry only a few non-zero counters; an absent counter reads as zero.
 *
 * @param bucket                 index of the time bucket: epoch milliseconds / bucket length
 * @param startsSucceeded        containers the subject started for its assignments
 * @param startsFailed           starts that failed for the node's reasons (runtime, cgroup, disk)
 * @param instancesLost          instances lost because the node died or killed them unasked
 * @param probeAcks              gossip probes the subject answered
 * @param probeFailures          gossip probes the subject did not answer
 * @param cpuUsedMillis          cpu time used (millicore-seconds), capped per sample at the pledge
 * @param cpuPledgedMillis       cpu pledged over the same samples (millicores x seconds)
 * @param memoryUsedMbSeconds    memory used (MB x seconds), capped per sample at the pledge
 * @param memoryPledgedMbSeconds memory pledged over the same samples (MB x seconds)
 * @param energyMillijoules      energy measured or modelled for the subject's work
 * @param energyCpuMillis        cpu time (millicore-seconds) that the energy was measured over
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Observation(
        String observer,
        String subject,
        long bucket,
        long startsSucceeded,
        long startsFailed,
        long instancesLost,
        long probeAcks,
        long probeFailures,
        long cpuUsedMillis,
        long cpuPledgedMillis,
        long memoryUsedMbSeconds,
        long memoryPledgedMbSeconds,
        long energyMillijoules,
        long energyCpuMillis) {

    public Observation {
        Validation.nonBlank("observer", observer);
        Validation.nonBlank("subject", subject);
        if (bucket < 0) throw new InvalidSpecException("observation bucket must not be negative, got " + bucket);
        long[] counters = {startsSucceeded, startsFailed, instancesLost, probeAcks, probeFailures, cpuUsedMillis,
                cpuPledgedMillis, memoryUsedMbSeconds, memoryPledgedMbSeconds, energyMillijoules, energyCpuMillis};
        for (long c : counters) {
            if (c < 0) {
                throw new InvalidSpecException("observation of " + subject + " by " + observer
                        + ": counters only grow from zero, got " + c);
            }
        }
    }

    /** Reads a row whose zero counters were left out of the JSON. */
    @JsonCreator
    static Observation fromJson(
            @JsonProperty("observer") String observer,
            @JsonProperty("subject") String subject,
            @JsonProperty("bucket") Long bucket,
            @JsonProperty("starts_succeeded") Long startsSucceeded,
            @JsonProperty("starts_failed") Long startsFailed,
            @JsonProperty("instances_lost") Long instancesLost,
            @JsonProperty("probe_acks") Long probeAcks,
            @JsonProperty("probe_failures") Long probeFailures,
            @JsonProperty("cpu_used_millis") Long cpuUsedMillis,
            @JsonProperty("cpu_pledged_millis") Long cpuPledgedMillis,
            @JsonProperty("memory_used_mb_seconds") Long memoryUsedMbSeconds,
            @JsonProperty("memory_pledged_mb_seconds") Long memoryPledgedMbSeconds,
            @JsonProperty("energy_millijoules") Long energyMillijoules,
            @JsonProperty("energy_cpu_millis") Long energyCpuMillis) {
        return new Observation(observer, subject, zero(bucket), zero(startsSucceeded), zero(startsFailed),
                zero(instancesLost), zero(probeAcks), zero(probeFailures), zero(cpuUsedMillis), zero(cpuPledgedMillis),
                zero(memoryUsedMbSeconds), zero(memoryPledgedMbSeconds), zero(energyMillijoules), zero(energyCpuMillis));
    }

    private static long zero(Long v) {
        return v == null ? 0 : v;
    }

    /** A row with every counter at zero. */
    public static Observation empty(String observer, String subject, long bucket) {
        return new Observation(observer, subject, bucket, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
