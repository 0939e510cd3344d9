package dev.hypha.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.server.LeaderElection;
import dev.hypha.server.LeaderElection.LeadershipLostException;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.EtcdKvStore;
import dev.hypha.store.kv.EtcdTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election on a real etcd, each candidate with its own client as separate servers have.
 *
 * <p>The TTLs here are long (a minute) on purpose: whatever happens within a few seconds can only
 * come from the watch on the leader key, a resignation or a fenced write, never from waiting for a
 * lease to run out. The one test about a crashed leader uses a short TTL, because waiting for the
 * lease is exactly what it checks.
 */
class LeaderElectionTest {
    private static final Duration LONG_TTL = Duration.ofMinutes(1);
    private static final Duration SOON = Duration.ofSeconds(10);

    EtcdTestServer etcd;
    EtcdKvStore admin;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startEtcd() {
        etcd = EtcdTestServer.start();
        admin = EtcdKvStore.connect(etcd.url());
    }

    @AfterEach
    void stopAll() {
        List<AutoCloseable> all = new ArrayList<>(toClose.reversed());
        all.add(admin);
        all.add(etcd);
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
    }

    private EtcdKvStore client() {
        EtcdKvStore kv = EtcdKvStore.connect(etcd.url());
        toClose.add(kv);
        return kv;
    }

    private LeaderElection candidate(KvStore kv, String id, Duration ttl) {
        LeaderElection e = LeaderElection.start(kv, id, ttl);
        toClose.add(e);
        return e;
    }

    private static Optional<LeaderElection> soleLeader(LeaderElection... candidates) {
        List<LeaderElection> leaders = Stream.of(candidates).filter(LeaderElection::isLeader).toList();
        return leaders.size() == 1 ? Optional.of(leaders.getFirst()) : Optional.empty();
    }

    private static Workload workload(String name) {
        return Workload.create(new WorkloadSpec(name, "busybox", List.of(), 1, new Resources(100, 16, 0), null, null,
                null, null), Instant.parse("2030-01-01T00:00:00Z"), null);
    }

    @Test
    void ofThreeCandidatesExactlyOneLeadsAndTheStoreNamesIt() {
        LeaderElection a = candidate(client(), "server-a", LONG_TTL);
        LeaderElection b = candidate(client(), "server-b", LONG_TTL);
        LeaderElection c = candidate(client(), "server-c", LONG_TTL);

        await().atMost(SOON).until(() -> soleLeader(a, b, c).isPresent());
        LeaderElection leader = soleLeader(a, b, c).orElseThrow();

        assertThat(admin.get(LeaderElection.KEY)).get().extracting(KvStore.KeyValue::valueAsString)
                .isEqualTo(leader.serverId());
        assertThat(a.leader()).contains(leader.serverId());
        for (LeaderElection e : List.of(a, b, c)) {
            assertThat(e.guard().isPresent()).isEqualTo(e == leader);
        }
    }

    @Test
    void aLeaderWhoseLeaseIsRevokedBehindItsBackIsFencedAndStepsDownAtOnce() {
        EtcdKvStore kvA = client();
        LeaderElection a = candidate(kvA, "server-a", LONG_TTL);
        await().atMost(SOON).until(a::isLeader);
        LeaderElection b = candidate(client(), "server-b", LONG_TTL);

        LeaderElection.Term stale = a.term().orElseThrow();
        KvStore.Compare staleGuard = a.guard().orElseThrow();
        StateStore staleView = a.fenced(new StateStore(kvA)).orElseThrow();
        assertThat(staleView.workloads().put("before", workload("before"))).isTrue();

        admin.revokeLease(stale.leaseId());

        // It notices through its watch, long before any keep-alive would have told it.
        await().atMost(SOON).until(() -> !a.term().equals(Optional.of(stale)));
        // Its view of the ended term refuses to write, without reaching the store.
        assertThatThrownBy(() -> staleView.workloads().put("after", workload("after")))
                .isInstanceOf(LeadershipLostException.class).hasMessageContaining("server-a");
        // And the store itself refuses the ended term's guarded writes, whoever leads now.
        StateStore guardedByStaleTerm = new StateStore(kvA).guardedBy(staleGuard);
        assertThat(guardedByStaleTerm.workloads().put("after", workload("after"))).isFalse();
        assertThat(guardedByStaleTerm.workloads().create("after", workload("after"))).isFalse();
        assertThat(admin.get("/hypha/workloads/after")).isEmpty();
        assertThat(admin.get("/hypha/workloads/before")).isPresent();

        // Someone leads again, in a new term.
        await().atMost(SOON).until(() -> soleLeader(a, b).isPresent());
        LeaderElection.Term next = soleLeader(a, b).orElseThrow().term().orElseThrow();
        assertThat(next).isNotEqualTo(stale);
        assertThat(next.wonAtRevision()).isGreaterThan(stale.wonAtRevision());
    }

    @Test
    void aResigningLeaderHandsOverWithoutWaitingForItsLease() {
        LeaderElection a = candidate(client(), "server-a", LONG_TTL);
        await().atMost(SOON).until(a::isLeader);
        LeaderElection b = candidate(client(), "server-b", LONG_TTL);
        LeaderElection c = candidate(client(), "server-c", LONG_TTL);
        StateStore aView = a.fenced(new StateStore(admin)).orElseThrow();

        a.close();

        assertThat(a.isLeader()).isFalse();
        assertThatThrownBy(() -> aView.nodes().delete("any")).isInstanceOf(LeadershipLostException.class);
        await().atMost(SOON).until(() -> soleLeader(b, c).isPresent());
    }

    @Test
    void aCrashedLeaderIsReplacedWhenItsLeaseExpires() {
        Duration shortTtl = Duration.ofSeconds(2);
        EtcdKvStore kvA = client();
        LeaderElection a = candidate(kvA, "server-a", shortTtl);
        await().atMost(SOON).until(a::isLeader);
        LeaderElection b = candidate(client(), "server-b", shortTtl);

        kvA.close(); // the process is gone: no keep-alive, no resignation

        await().atMost(SOON.plus(shortTtl)).until(b::isLeader);
        assertThat(a.isLeader()).as("a leader that cannot renew stops within its TTL").isFalse();
        assertThat(admin.get(LeaderElection.KEY)).get().extracting(KvStore.KeyValue::valueAsString)
                .isEqualTo("server-b");
    }

    @Test
    void aRestartedLeaderTakesItsOwnKeyBackWithoutWaitingForItsOldLease() {
        EtcdKvStore kvA = client();
        LeaderElection a = candidate(kvA, "server-a", LONG_TTL);
        await().atMost(SOON).until(a::isLeader);
        LeaderElection b = candidate(client(), "server-b", LONG_TTL);
        long oldLease = a.term().orElseThrow().leaseId();

        kvA.close(); // killed; its key stays for a minute
        LeaderElection again = candidate(client(), "server-a", LONG_TTL);

        await().atMost(SOON).until(again::isLeader);
        assertThat(b.isLeader()).isFalse();
        assertThat(again.term().orElseThrow().leaseId()).isNotEqualTo(oldLease);
    }
}
