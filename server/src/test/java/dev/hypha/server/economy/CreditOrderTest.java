package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.economy.Ledger;
import dev.hypha.core.reconcile.Action;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadStatus;
import dev.hypha.server.control.WorkloadController;
import dev.hypha.testkit.fixtures.WorkloadBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The order in which one controller pass carries out its plan, by the members' credit standing. */
class CreditOrderTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final CreditPolicy POLICY = new CreditPolicy(Credits.ofCredits(-10), Credits.ofCredits(-100), Map.of());

    @Test
    void stopsComeFirstThenMembersInGoodStandingThenLowPriorityThenRefused() {
        // bob is below his soft limit, carol below her hard limit, alice gave more than she took.
        Ledger ledger = Ledger.empty()
                .post(Ledger.adjustment("a1", "bob", "alice", Credits.ofCredits(50), "bob used alice's machine", T0)).ledger()
                .post(Ledger.adjustment("a2", "carol", "alice", Credits.ofCredits(150), "carol used alice's machine", T0)).ledger();
        EconomyView view = new EconomyView(T0, ledger, List.of(), new TreeMap<>(), java.util.Set.of(), new TreeMap<>(), POLICY);
        Map<String, Workload> byName = Map.of(
                "a", WorkloadBuilder.workload("a").member("alice").build(),
                "b", WorkloadBuilder.workload("b").member("bob").build(),
                "c", WorkloadBuilder.workload("c").member("carol").build(),
                "d", WorkloadBuilder.workload("d").member("dave").build());
        List<Action> plan = List.of(
                new Action.Place("c", 1, "missing replica"),
                new Action.Place("b", 1, "missing replica 1"),
                new Action.Stop("x-1", "scale down"),
                new Action.Place("a", 1, "missing replica"),
                new Action.Place("b", 1, "missing replica 2"),
                new Action.UpdateStatus("a", new WorkloadStatus(3, 0)),
                new Action.Place("d", 1, "missing replica"));

        List<Action> ordered = WorkloadController.inCreditOrder(plan, byName, view);

        assertThat(ordered).containsExactly(
                new Action.Stop("x-1", "scale down"),
                new Action.UpdateStatus("a", new WorkloadStatus(3, 0)),
                new Action.Place("a", 1, "missing replica"), // alice: +200 credits
                new Action.Place("d", 1, "missing replica"), // dave: 0, still in good standing
                new Action.Place("b", 1, "missing replica 1"), // bob: -50, low priority, plan order kept
                new Action.Place("b", 1, "missing replica 2"),
                new Action.Place("c", 1, "missing replica")); // carol: -150, refused but her own nodes may take it
    }
}
