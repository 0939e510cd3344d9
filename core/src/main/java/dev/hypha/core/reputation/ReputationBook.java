package dev.hypha.core.reputation;

import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.economy.MemberAccount;
import dev.hypha.model.economy.Observation;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns the cluster's observations into each node's {@link Reputation}: reliability, resource
 * efficiency, ecological balance and contribution ratio, each in 0..1.
 *
 * <p>The steps, for a given {@code now}:
 * <ol>
 *   <li><b>Decay.</b> Each observation row counts with weight 2^(-age / half-life); rows past the
 *       horizon, and rows of a node about itself, do not count.</li>
 *   <li><b>Evidence</b> per (observer, subject). Work: containers started (successes) against
 *       starts failed for the node's reasons and instances lost (failures); see {@link NodeEvent}
 *       for what counts against a node. Liveness: each bucket of gossip probes adds its ack ratio
 *       as {@link ReputationConfig#probeBucketWeight()} of a success and the rest as a failure.</li>
 *   <li><b>Credibility</b> of each observer that is not pre-trusted: 1 minus
 *       {@link ReputationConfig#credibilitySharpness()} times the root-mean-square difference
 *       between its work success ratios and the pre-trusted observers' on the nodes both reported
 *       on (evidence-weighted), floored at 0; 1 when there is nothing to compare.</li>
 *   <li><b>Trust.</b> {@link EigenTrust} over local trust {@code max(work successes - work failures, 0)},
 *       each observer's row discounted by its credibility, restarted at the pre-trusted peers (the
 *       servers). Only work builds trust: answering probes proves a node is up, not that its
 *       reports are true.</li>
 *   <li><b>Voice.</b> An observer's observations weigh {@code credibility x trust / max trust}: the
 *       most trusted observer speaks with weight 1; a clique nobody honest trusts, or whose
 *       reports the anchors contradict, speaks with weight near 0 whatever its counters say.</li>
 *   <li><b>Scores</b>, each a voice-weighted average of what the observers saw, every observer's
 *       evidence capped at {@link ReputationConfig#evidenceCap()}, pulled toward a neutral prior of
 *       weight {@link ReputationConfig#priorWeight()} (so a node with no history is 0.5). Evidence is
 *       counted in events for reliability, in pledged cpu-minutes for efficiency, and in measured
 *       cpu-minutes for energy:
 *     <ul>
 *       <li>reliability: the success ratio (work and liveness);</li>
 *       <li>resource efficiency: used / pledged cpu and memory, averaged. Use above the pledge is
 *           capped when recorded (it is the workload's violation, not the node's fault), so 1 (all
 *           that was pledged was used, nothing more) is the best and idle pledges score low;</li>
 *       <li>ecological balance: {@code 1 / (1 + (ci x E) / (ci_ref x E_ref))} from the node's carbon
 *           intensity ci and its energy per cpu-second E (the reference energy until measured):
 *           grams of CO2 per unit of work, relative to a reference that scores 0.5;</li>
 *       <li>contribution ratio: {@code given / (given + taken)} of the node's member in the ledger,
 *           0.5 when both are zero (the seed's score was a step, 1.0 or 0.5).</li>
 *     </ul>
 *   </li>
 * </ol>
 *
 * <p>Without pre-trusted peers every credibility is 1 and the restart is uniform: plain EigenTrust,
 * which a clique of good hosts can exploit. Deployments name their servers as pre-trusted.
 *
 * <p>Pure and deterministic: rows and peers are visited in sorted order. Thread-safe (immutable).
 */
public final class ReputationBook {
    /** The seed's weights, used to fold a reputation into one number (see {@link #overall}). */
    private static final double W_RELIABILITY = 0.4, W_CONTRIBUTION = 0.3, W_EFFICIENCY = 0.2, W_ECOLOGY = 0.1;
    private static final double MILLIS_PER_MINUTE = 60_000;

    private final ReputationConfig config;
    private final Set<String> preTrusted;

    /**
     * @param preTrusted the observers trusted a priori: the servers' observer ids
     */
    public ReputationBook(ReputationConfig config, Set<String> preTrusted) {
        this.config = config;
        this.preTrusted = Set.copyOf(preTrusted);
    }

    public ReputationConfig config() {
        return config;
    }

    /**
     * How one node's reputation came about, for {@code GET /api/v1/nodes/{id}/reputation}.
     *
     * @param trust       the node's global trust as an observer (sums to 1 over all peers)
     * @param credibility how well its own reports agree with the pre-trusted observers' (0..1)
     * @param voice       the weight of its observations about others: credibility x trust / max trust
     * @param evidence    voice-weighted, capped, decayed events about the node behind its reliability
     * @param observers   how many other peers reported on the node within the horizon
     */
    public record Assessment(String nodeId, Reputation reputation, double trust, double credibility, double voice,
                             double evidence, int observers) {}

    /** Each node's reputation, by node id. */
    public SortedMap<String, Reputation> scores(ReputationCrdt crdt, Collection<Node> nodes,
                                                Map<String, MemberAccount> accounts, Instant now) {
        SortedMap<String, Reputation> out = new TreeMap<>();
        assess(crdt, nodes, accounts, now).forEach((id, a) -> out.put(id, a.reputation()));
        return Collections.unmodifiableSortedMap(out);
    }

    /** Each node's reputation with the trust and evidence behind it, by node id. */
    public SortedMap<String, Assessment> assess(ReputationCrdt crdt, Collection<Node> nodes,
                                                Map<String, MemberAccount> accounts, Instant now) {
        Evidence evidence = Evidence.of(crdt, now, config);
        Voices voices = voices(evidence, nodes);
        SortedMap<String, Assessment> out = new TreeMap<>();
        for (Node node : nodes) {
            Map<String, Tally> about = evidence.bySubject().getOrDefault(node.id(), Map.of());
            Score reliability = new Score(0.5);
            Score efficiency = new Score(0.5);
            Score energy = new Score(config.energyReference());
            for (Map.Entry<String, Tally> e : about.entrySet()) {
                double voice = voices.voice(e.getKey());
                Tally t = e.getValue();
                double events = t.successes() + t.failures();
                if (events > 0) reliability.add(voice, events, t.successes() / events);
                if (t.cpuPledged > 0) {
                    double cpuRatio = t.cpuUsed / t.cpuPledged;
                    double memRatio = t.memPledged > 0 ? t.memUsed / t.memPledged : cpuRatio;
                    efficiency.add(voice, t.cpuPledged / MILLIS_PER_MINUTE, (cpuRatio + memRatio) / 2);
                }
                // Millijoules per millicore-second equal joules per cpu-second.
                if (t.energyCpu > 0) energy.add(voice, t.energyCpu / MILLIS_PER_MINUTE, t.energyMj / t.energyCpu);
            }
            double ecological = 1 / (1 + node.carbonIntensity() * energy.value()
                    / (config.carbonReference() * config.energyReference()));
            Reputation r = new Reputation(clamp(reliability.value()), clamp(efficiency.value()), clamp(ecological),
                    contributionRatio(accounts.get(node.member())));
            out.put(node.id(), new Assessment(node.id(), r, voices.trust().of(node.id()),
                    voices.credibility(node.id()), voices.voice(node.id()), reliability.evidence(), about.size()));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** Global trust of every observer and node at {@code now}. */
    public EigenTrust.Result trust(ReputationCrdt crdt, Collection<Node> nodes, Instant now) {
        return voices(Evidence.of(crdt, now, config), nodes).trust();
    }

    /** Steps 3 to 5: credibility, trust and voice of every observer. */
    private Voices voices(Evidence evidence, Collection<Node> nodes) {
        Set<String> peers = new HashSet<>();
        for (Node n : nodes) peers.add(n.id());
        // The anchors' combined work reports per subject: what every other witness is compared with.
        Map<String, Tally> anchor = new TreeMap<>();
        evidence.bySubject().forEach((subject, observers) -> observers.forEach((observer, t) -> {
            if (preTrusted.contains(observer)) anchor.computeIfAbsent(subject, s -> new Tally()).addWork(t);
        }));
        Map<String, Map<String, Double>> local = new TreeMap<>();
        Map<String, Double> credibility = new TreeMap<>();
        evidence.byObserver().forEach((observer, reports) -> {
            Map<String, Double> row = new TreeMap<>();
            reports.forEach((subject, t) -> {
                double experience = t.workSuccesses - t.workFailures;
                if (experience > 0) row.put(subject, experience);
            });
            local.put(observer, row);
            credibility.put(observer, preTrusted.contains(observer) ? 1.0 : credibility(reports, anchor));
        });
        EigenTrust.Result trust = EigenTrust.compute(local, credibility, peers, preTrusted, config.damping(),
                config.maxIterations(), config.tolerance());
        return new Voices(trust, credibility, trust.max());
    }

    /** Agreement of one observer's work reports with the anchors', in 0..1 (see step 3). */
    private double credibility(Map<String, Tally> reports, Map<String, Tally> anchor) {
        double weight = 0, squares = 0;
        for (Map.Entry<String, Tally> e : reports.entrySet()) {
            Tally theirs = anchor.get(e.getKey());
            Tally mine = e.getValue();
            double a = theirs == null ? 0 : theirs.workEvents(), b = mine.workEvents();
            if (a <= 0 || b <= 0) continue;
            double m = Math.min(Math.min(a, b), config.evidenceCap());
            double d = theirs.workSuccesses / a - mine.workSuccesses / b;
            weight += m;
            squares += m * d * d;
        }
        if (weight == 0) return 1;
        return Math.max(0, 1 - config.credibilitySharpness() * Math.sqrt(squares / weight));
    }

    /** {@code given / (given + taken)}, or 0.5 for a member that neither gave nor took (or is unknown). */
    public static double contributionRatio(MemberAccount account) {
        if (account == null) return 0.5;
        double total = (double) account.given() + account.taken();
        return total == 0 ? 0.5 : account.given() / total;
    }

    /** One number for a reputation, with the seed's weights (reliability 0.4, contribution 0.3, efficiency 0.2, ecology 0.1). */
    public static double overall(Reputation r) {
        return clamp(W_RELIABILITY * r.reliability() + W_CONTRIBUTION * r.contributionRatio()
                + W_EFFICIENCY * r.resourceEfficiency() + W_ECOLOGY * r.ecologicalBalance());
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** Credibility, trust and voice of the observers; each voice worked out once, as it is asked for per report. */
    private static final class Voices {
        private final EigenTrust.Result trust;
        private final Map<String, Double> credibilities;
        private final double maxTrust;
        private final Map<String, Double> voices = new HashMap<>();

        Voices(EigenTrust.Result trust, Map<String, Double> credibilities, double maxTrust) {
            this.trust = trust;
            this.credibilities = credibilities;
            this.maxTrust = maxTrust;
        }

        EigenTrust.Result trust() {
            return trust;
        }

        double credibility(String observer) {
            return credibilities.getOrDefault(observer, 1.0);
        }

        double voice(String observer) {
            Double known = voices.get(observer);
            if (known != null) return known;
            double voice = maxTrust > 0 ? credibility(observer) * trust.of(observer) / maxTrust : 0;
            voices.put(observer, voice);
            return voice;
        }
    }

    /**
     * Decayed tallies indexed both ways; self-observations and rows past the horizon left out.
     * Inner maps are sorted, so every sum over observers or subjects runs in a fixed order.
     */
    private record Evidence(Map<String, Map<String, Tally>> bySubject, Map<String, Map<String, Tally>> byObserver) {
        static Evidence of(ReputationCrdt crdt, Instant now, ReputationConfig config) {
            long nowBucket = crdt.bucketOf(now);
            Map<String, Map<String, Tally>> bySubject = new HashMap<>();
            Map<String, Map<String, Tally>> byObserver = new TreeMap<>();
            Tally current = null;
            String observer = null, subject = null;
            // Rows within the horizon are of few ages: each age's weight is worked out once.
            double[] byAge = new double[(int) Math.min(config.horizonBuckets(), 4_096) + 1];
            java.util.Arrays.fill(byAge, Double.NaN);
            // Rows come sorted by observer, subject, bucket: a pair's rows are consecutive.
            for (Observation o : crdt.observations()) {
                if (o.observer().equals(o.subject())) continue;
                long age = nowBucket - o.bucket();
                double w;
                if (age >= 0 && age < byAge.length) {
                    w = byAge[(int) age];
                    if (Double.isNaN(w)) w = byAge[(int) age] = config.decay(age);
                } else {
                    w = config.decay(age);
                }
                if (w == 0) continue;
                if (current == null || !o.observer().equals(observer) || !o.subject().equals(subject)) {
                    observer = o.observer();
                    subject = o.subject();
                    current = new Tally();
                    bySubject.computeIfAbsent(subject, s -> new TreeMap<>()).put(observer, current);
                    byObserver.computeIfAbsent(observer, s -> new TreeMap<>()).put(subject, current);
                }
                current.add(o, w, config.probeBucketWeight());
            }
            return new Evidence(bySubject, byObserver);
        }
    }

    /** Decayed sums of one observer's rows about one subject. */
    private static final class Tally {
        double workSuccesses, workFailures, liveSuccesses, liveFailures;
        double cpuUsed, cpuPledged, memUsed, memPledged, energyMj, energyCpu;

        void add(Observation o, double w, double probeBucketWeight) {
            workSuccesses += w * o.startsSucceeded();
            workFailures += w * (o.startsFailed() + o.instancesLost());
            long probes = o.probeAcks() + o.probeFailures();
            if (probes > 0) {
                double ackRatio = (double) o.probeAcks() / probes;
                liveSuccesses += w * probeBucketWeight * ackRatio;
                liveFailures += w * probeBucketWeight * (1 - ackRatio);
            }
            cpuUsed += w * o.cpuUsedMillis();
            cpuPledged += w * o.cpuPledgedMillis();
            memUsed += w * o.memoryUsedMbSeconds();
            memPledged += w * o.memoryPledgedMbSeconds();
            energyMj += w * o.energyMillijoules();
            energyCpu += w * o.energyCpuMillis();
        }

        void addWork(Tally t) {
            workSuccesses += t.workSuccesses;
            workFailures += t.workFailures;
        }

        double workEvents() {
            return workSuccesses + workFailures;
        }

        double successes() {
            return workSuccesses + liveSuccesses;
        }

        double failures() {
            return workFailures + liveFailures;
        }
    }

    /** A voice-weighted average with a neutral prior and a per-observer evidence cap. */
    private final class Score {
        private double weight, sum;

        Score(double priorValue) {
            weight = config.priorWeight();
            sum = config.priorWeight() * priorValue;
        }

        void add(double voice, double evidence, double value) {
            double w = voice * Math.min(evidence, config.evidenceCap());
            weight += w;
            sum += w * value;
        }

        double value() {
            return sum / weight;
        }

        double evidence() {
            return weight - config.priorWeight();
        }
    }
}
