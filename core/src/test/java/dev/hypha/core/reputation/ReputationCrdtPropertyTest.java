package dev.hypha.core.reputation;

import static dev.hypha.core.reputation.Fixtures.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.Json;
import dev.hypha.model.economy.Observation;
import dev.hypha.model.economy.ReputationState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRDT laws over random states, and convergence of replicas under random gossip. */
class ReputationCrdtPropertyTest {
    static final List<String> PEERS = List.of("server-1", "n1", "n2", "n3", "n4", "n5");

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    /** Random rows, including rows that overlap in key with different counters (as stale copies do). */
    static ReputationCrdt randomState(RandomGenerator rnd) {
        List<Observation> rows = new ArrayList<>();
        int n = rnd.nextInt(0, 30);
        for (int i = 0; i < n; i++) {
            String observer = PEERS.get(rnd.nextInt(PEERS.size()));
            String subject = PEERS.get(rnd.nextInt(PEERS.size()));
            long[] c = new long[11];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextInt(4) == 0 ? rnd.nextLong(0, 1_000) : 0;
            rows.add(new Observation(observer, subject, rnd.nextLong(0, 4), c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                    c[7], c[8], c[9], c[10]));
        }
        return ReputationCrdt.of(new ReputationState(HOUR.toMillis(), rows));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mergeIsCommutativeAssociativeAndIdempotent(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        ReputationCrdt a = randomState(rnd), b = randomState(rnd), c = randomState(rnd);

        assertThat(a.merge(b)).as("seed %d: commutative", seed).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).as("seed %d: associative", seed).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).as("seed %d: idempotent", seed).isEqualTo(a);
        assertThat(a.merge(b).merge(b)).as("seed %d: merging again adds nothing", seed).isEqualTo(a.merge(b));
        // The join is an upper bound: merging a part of it back changes nothing.
        assertThat(a.merge(b).merge(a)).as("seed %d: upper bound", seed).isEqualTo(a.merge(b));
        // Serialised and read back, a state is the same state (and serialises to the same bytes).
        ReputationState s = a.merge(b).toState();
        ReputationState back = Json.read(Json.bytes(s), ReputationState.class);
        assertThat(ReputationCrdt.of(back)).as("seed %d: json round trip", seed).isEqualTo(a.merge(b));
        assertThat(Json.string(back)).isEqualTo(Json.string(s));
    }

    /** A random event of any kind, a node's fault or not. */
    static NodeEvent randomEvent(RandomGenerator rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> new NodeEvent.ContainerStarted();
            case 1 -> new NodeEvent.StartFailed(rnd.nextBoolean() ? NodeEvent.StartFailure.NODE
                    : NodeEvent.StartFailure.WORKLOAD);
            case 2 -> new NodeEvent.ContainerExited(
                    NodeEvent.ExitCause.values()[rnd.nextInt(NodeEvent.ExitCause.values().length)], rnd.nextInt(256));
            case 3 -> new NodeEvent.InstanceLost();
            case 4 -> new NodeEvent.ProbeAcked();
            case 5 -> new NodeEvent.ProbeFailed();
            default -> new NodeEvent.UsageSampled(rnd.nextLong(1, 120), new dev.hypha.model.Resources(
                    rnd.nextLong(1, 4_000), rnd.nextLong(1, 8_192), 0), rnd.nextLong(0, 500_000),
                    rnd.nextLong(0, 10_000), rnd.nextBoolean() ? null : rnd.nextLong(0, 1_000_000));
        };
    }

    /**
     * Recording a batch at once is recording its events one after another: on top of any state,
     * with events on rows old and new, several on one row, in any buckets.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aBatchRecordsWhatItsEventsRecordOneByOne(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        ReputationCrdt state = randomState(rnd);
        List<ObservedEvent> batch = new ArrayList<>();
        for (int i = rnd.nextInt(0, 60); i > 0; i--) {
            int observer = rnd.nextInt(PEERS.size());
            int subject = (observer + 1 + rnd.nextInt(PEERS.size() - 1)) % PEERS.size();
            batch.add(new ObservedEvent(PEERS.get(observer), PEERS.get(subject),
                    Fixtures.hour(rnd.nextLong(0, 5)).plusSeconds(rnd.nextLong(0, 3_600)), randomEvent(rnd)));
        }
        ReputationCrdt oneByOne = state;
        for (ObservedEvent e : batch) oneByOne = oneByOne.record(e.observer(), e.subject(), e.at(), e.event());
        ReputationCrdt together = state.recordAll(batch);
        assertThat(together).as("seed %d", seed).isEqualTo(oneByOne);
        assertThat(together.toState()).as("seed %d, rows in order", seed).isEqualTo(oneByOne.toState());
        // And independently of how events are applied: each started container and each probe is counted once.
        java.util.Map<List<Object>, long[]> expected = new java.util.HashMap<>();
        for (Observation o : state.observations()) {
            expected.put(List.of(o.observer(), o.subject(), o.bucket()),
                    new long[] {o.startsSucceeded(), o.probeAcks(), o.probeFailures()});
        }
        for (ObservedEvent e : batch) {
            long[] c = expected.computeIfAbsent(List.of(e.observer(), e.subject(), state.bucketOf(e.at())),
                    k -> new long[3]);
            switch (e.event()) {
                case NodeEvent.ContainerStarted x -> c[0]++;
                case NodeEvent.ProbeAcked x -> c[1]++;
                case NodeEvent.ProbeFailed x -> c[2]++;
                default -> { }
            }
        }
        assertThat(together.size()).as("seed %d, rows", seed).isEqualTo(expected.size());
        expected.forEach((key, c) -> {
            Observation row = together.row((String) key.get(0), (String) key.get(1), (Long) key.get(2)).orElseThrow();
            assertThat(new long[] {row.startsSucceeded(), row.probeAcks(), row.probeFailures()})
                    .as("seed %d, row %s", seed, key).containsExactly(c);
        });
    }

    /**
     * Each replica records only its own observer's events; deltas travel between random pairs, in
     * random order, some delivered twice, some stale. When gossip stops, every replica holds the
     * same state: the merge of everything recorded.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void replicasConvergeWhateverTheGossipOrder(long seed) {
        RandomGenerator rnd = new SplittableRandom(seed);
        int n = PEERS.size();
        ReputationCrdt[] replica = new ReputationCrdt[n];
        for (int i = 0; i < n; i++) replica[i] = ReputationCrdt.empty(HOUR);
        List<ReputationCrdt> inFlight = new ArrayList<>();
        List<Integer> inFlightTo = new ArrayList<>();

        for (int step = 0; step < 300; step++) {
            int i = rnd.nextInt(n);
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    String subject = PEERS.get(rnd.nextInt(n));
                    if (!subject.equals(PEERS.get(i))) {
                        NodeEvent e = rnd.nextBoolean() ? Fixtures.started() : new NodeEvent.ProbeFailed();
                        replica[i] = replica[i].record(PEERS.get(i), subject, Fixtures.hour(rnd.nextLong(0, 3)), e);
                    }
                }
                case 1 -> { // send a delta (computed against what we last knew of the peer: possibly stale)
                    int j = rnd.nextInt(n);
                    inFlight.add(replica[i].delta(replica[j]));
                    inFlightTo.add(j);
                }
                default -> { // deliver a random message in flight, and sometimes keep it for a duplicate
                    if (!inFlight.isEmpty()) {
                        int k = rnd.nextInt(inFlight.size());
                        replica[inFlightTo.get(k)] = replica[inFlightTo.get(k)].merge(inFlight.get(k));
                        if (rnd.nextInt(4) != 0) {
                            inFlight.remove(k);
                            inFlightTo.remove(k);
                        }
                    }
                }
            }
        }
        ReputationCrdt everything = ReputationCrdt.empty(HOUR);
        for (ReputationCrdt r : replica) everything = everything.merge(r);
        // Anti-entropy: a full round of push-pull between every pair, in random order.
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < n * n; k++) {
                int i = rnd.nextInt(n), j = rnd.nextInt(n);
                replica[j] = replica[j].merge(replica[i].delta(replica[j]));
                replica[i] = replica[i].merge(replica[j]);
            }
            for (int i = 0; i < n; i++) replica[i] = replica[i].merge(replica[(i + 1) % n]);
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) replica[i] = replica[i].merge(replica[(i + 1) % n]);
        }
        for (ReputationCrdt r : replica) assertThat(r).as("seed %d", seed).isEqualTo(everything);
        assertThat(everything.size()).as("seed %d: something was recorded", seed).isPositive();
    }
}
