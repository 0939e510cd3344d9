package dev.hypha.core.economy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Instance;
import dev.hypha.model.Node;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.economy.CreditBalance;
import dev.hypha.model.economy.Pledge;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PledgesTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    static Node node(String id, String member) {
        return new Node(id, member, null, null, new Resources(4_000, 8_192, 20_480), 0.1, 250, null, null, null, T0, T0);
    }

    static Workload workload(String name, String member, Resources r) {
        return Workload.create(new WorkloadSpec(name, "busybox", List.of(), 1, r, null, member, null, null), T0, null);
    }

    static Pledge pledge(String id, String node, String host, String owner, Resources r) {
        return new Pledge(id, node, host, "web", owner, id, r, T0, null);
    }

    @Test
    void aPlacementPledgesTheReplicasRequestToTheWorkloadsMember() {
        Workload web = workload("web", "alice", new Resources(250, 64, 10));
        Instance i = Instance.assign("web-1", web, "n2", T0);
        Pledge p = Pledges.forPlacement(i, node("n2", "bob"), T0);
        assertThat(p).isEqualTo(new Pledge("pledge:web-1", "n2", "bob", "web", "alice", "web-1",
                new Resources(250, 64, 10), T0, null));
        assertThat(p.crossesMembers()).isTrue();
        Pledge released = p.release(T0.plusSeconds(60));
        assertThat(released.isActive()).isFalse();
        assertThat(released.release(T0.plusSeconds(90)).releasedAt()).isEqualTo(T0.plusSeconds(60));
        assertThatThrownBy(() -> Pledges.forPlacement(i, node("n3", "bob"), T0))
                .hasMessage("instance web-1 is assigned to n2, not to n3");
    }

    @Test
    void pledgedOutAndReceivedInCountActivePledgesBetweenDifferentMembers() {
        Resources small = new Resources(100, 64, 0), big = new Resources(1_000, 512, 100);
        List<Pledge> pledges = List.of(
                pledge("a", "n2", "bob", "alice", small),                 // n2 gives to alice
                pledge("b", "n2", "bob", "carol", big),                   // n2 gives to carol
                pledge("c", "n2", "bob", "bob", big),                     // bob's own work: not a pledge to others
                pledge("d", "n1", "alice", "bob", small),                 // alice's node gives to bob
                pledge("e", "n3", "carol", "bob", big).release(T0),       // released: no longer counts
                pledge("f", "n4", "dave", "bob", big));                   // dave's node gives to bob

        CreditBalance n2 = Pledges.creditBalance(node("n2", "bob"), pledges, 0.8, -42);
        assertThat(n2.pledgedOut()).isEqualTo(small.plus(big));
        assertThat(n2.receivedIn()).isEqualTo(small.plus(big)); // from n1 (alice) and n4 (dave)
        assertThat(n2.reputationScore()).isEqualTo(0.8);
        assertThat(n2.memberBalance()).isEqualTo(-42);

        assertThat(Pledges.pledgedOut("n1", pledges)).isEqualTo(small);
        assertThat(Pledges.receivedIn("alice", pledges)).isEqualTo(small);
        assertThat(Pledges.pledgedOut("n3", pledges)).isEqualTo(Resources.ZERO);
    }

    @Test
    void sumsStopAtTheResourceBoundsInsteadOfFailing() {
        Resources huge = new Resources(Resources.MAX_CPU_MILLICORES, 1, 1);
        List<Pledge> pledges = List.of(pledge("a", "n1", "alice", "bob", huge), pledge("b", "n2", "carol", "bob", huge));
        assertThat(Pledges.receivedIn("bob", pledges)).isEqualTo(new Resources(Resources.MAX_CPU_MILLICORES, 2, 2));
    }
}
