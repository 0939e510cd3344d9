package dev.hypha.core.reputation;

import dev.hypha.model.InvalidSpecException;
import java.time.Duration;

/**
 * The knobs of reputation: time buckets and decay, EigenTrust's damping, priors and references.
 * Validated when built; {@link #defaults()} explains each default.
 *
 * @param bucket                  length of one observation bucket
 * @param halfLifeBuckets         age, in buckets, at which an observation counts half
 * @param horizonBuckets          age, in buckets, after which an observation no longer counts (and may be pruned)
 * @param damping                 EigenTrust's restart probability a toward the pre-trusted peers
 * @param maxIterations           upper bound on EigenTrust's power iterations
 * @param tolerance               EigenTrust stops when the L1 change of the trust vector falls below this
 * @param priorWeight             weight of the neutral prior (value 0.5, or the reference energy) in
 *                                units of evidence: a node with no history scores 0.5
 * @param evidenceCap             most evidence one observer may contribute about one subject, so an
 *                                observer cannot outvote others by inflating its counters
 * @param probeBucketWeight       evidence of one bucket of gossip probes, in container starts
 * @param credibilitySharpness    how fast an observer loses credibility as its reports stray from
 *                                the pre-trusted observers': credibility = max(0, 1 - sharpness x RMS
 *                                difference of their success ratios on the nodes both reported on)
 * @param carbonReference         grams CO2 per kWh that, at the reference energy, scores 0.5
 * @param energyReference         joules per cpu-second that, at the reference carbon intensity, scores 0.5
 */
public record ReputationConfig(
        Duration bucket,
        double halfLifeBuckets,
        int horizonBuckets,
        double damping,
        int maxIterations,
        double tolerance,
        double priorWeight,
        double evidenceCap,
        double probeBucketWeight,
        double credibilitySharpness,
        double carbonReference,
        double energyReference) {

    public ReputationConfig {
        if (bucket == null || bucket.toMillis() <= 0) throw new InvalidSpecException("bucket must be at least 1 ms, got " + bucket);
        positive("half_life_buckets", halfLifeBuckets);
        if (horizonBuckets < 1) throw new InvalidSpecException("horizon_buckets must be at least 1, got " + horizonBuckets);
        if (!(damping > 0 && damping <= 1)) throw new InvalidSpecException("damping must be in (0, 1], got " + damping);
        if (maxIterations < 1) throw new InvalidSpecException("max_iterations must be at least 1, got " + maxIterations);
        positive("tolerance", tolerance);
        positive("prior_weight", priorWeight);
        positive("evidence_cap", evidenceCap);
        if (!(probeBucketWeight >= 0 && Double.isFinite(probeBucketWeight))) {
            throw new InvalidSpecException("probe_bucket_weight must be zero or positive, got " + probeBucketWeight);
        }
        positive("credibility_sharpness", credibilitySharpness);
        positive("carbon_reference", carbonReference);
        positive("energy_reference", energyReference);
    }

    private static void positive(String field, double v) {
        if (!(v > 0 && Double.isFinite(v))) throw new InvalidSpecException(field + " must be positive, got " + v);
    }

    /**
     * Defaults:
     * <ul>
     *   <li>hourly buckets, half-life one day, horizon two weeks: yesterday's failures count half,
     *       last month's not at all, so a node can recover;</li>
     *   <li>damping 0.15, as the EigenTrust paper and PageRank; up to 200 iterations (0.85^200 is
     *       below 1e-14, far under the 1e-10 tolerance);</li>
     *   <li>prior weight 2: a node with no history is 0.5 and one success moves it to 0.67, one
     *       failure to 0.33 (Laplace's rule of succession);</li>
     *   <li>evidence cap 100 events per observer and subject;</li>
     *   <li>a bucket of probes counts as half a container start: probes are many and cheap, so
     *       liveness matters but cannot hide failed starts;</li>
     *   <li>credibility sharpness 2: reports that differ from the anchors' by an RMS of 0.5 (as
     *       far apart as coin flips) carry no credibility; sampling noise of honest observers
     *       (RMS 0.05) costs them a tenth;</li>
     *   <li>reference 200 g CO2/kWh (a mixed European grid) and 10 J per cpu-second (a 180 W,
     *       16-core server at full load): a node at both references scores 0.5.</li>
     * </ul>
     */
    public static ReputationConfig defaults() {
        return new ReputationConfig(Duration.ofHours(1), 24, 14 * 24, 0.15, 200, 1e-10, 2, 100, 0.5, 2, 200, 10);
    }

    /** The weight of an observation {@code ageBuckets} old: 2^(-age / half-life), zero past the horizon. */
    public double decay(long ageBuckets) {
        if (ageBuckets > horizonBuckets) return 0;
        return Math.pow(2, -Math.max(0, ageBuckets) / halfLifeBuckets);
    }
}
