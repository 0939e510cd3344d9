package dev.hypha.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldTest {
    static final Scenario SCENARIO = Scenario.of(500, 2_000, 42);
    static final World WORLD = World.generate(SCENARIO);

    @Test
    void theSameSeedGivesTheSameWorld() {
        World again = World.generate(SCENARIO);
        assertThat(again.nodes()).isEqualTo(WORLD.nodes());
        assertThat(again.workloads()).isEqualTo(WORLD.workloads());
        assertThat(again.outages()).isEqualTo(WORLD.outages());
        assertThat(World.generate(Scenario.of(500, 2_000, 43)).nodes()).isNotEqualTo(WORLD.nodes());
    }

    @Test
    void theNodesDoNotDependOnTheNumberOfWorkloads() {
        assertThat(World.generate(Scenario.of(500, 10, 42)).nodes()).isEqualTo(WORLD.nodes());
    }

    @Test
    void nodesHaveRegionsPricesCarbonAndRoughlyTheAskedMisbehaviour() {
        assertThat(WORLD.nodes()).hasSize(500);
        Set<String> regions = new HashSet<>();
        for (int i = 0; i < WORLD.nodes().size(); i++) {
            SimulatedNode n = WORLD.nodes().get(i);
            assertThat(n.node().id()).isEqualTo("n" + (i + 1));
            assertThat(n.node().costPerHour()).isPositive();
            assertThat(n.node().carbonIntensity()).isPositive();
            assertThat(n.witnessedBy()).hasSize(2).doesNotContain(i).doesNotHaveDuplicates();
            assertThat(n.trueReliability()).isBetween(0.0, 1.0);
            if (!n.flaky() && !n.crashing()) assertThat(n.trueReliability()).isEqualTo(1.0);
            if (n.flaky()) assertThat(n.startFailure()).isBetween(0.25, 0.75);
            regions.add(n.node().region());
        }
        assertThat(regions).hasSameSizeAs(World.REGIONS);
        WorldSummary summary = WORLD.summary();
        assertThat(summary.flakyNodes()).isBetween(30, 75); // 10% of 500
        assertThat(summary.liarNodes()).isBetween(10, 45); // 5%
        assertThat(summary.crashingNodes()).isBetween(10, 45); // 5%
    }

    @Test
    void everyMemberOwnsANodeAndSubmitsOnlyValidWorkloads() {
        assertThat(WORLD.members()).hasSize(50);
        Set<String> owners = new HashSet<>();
        for (SimulatedNode n : WORLD.nodes()) owners.add(n.node().member());
        assertThat(owners).containsExactlyInAnyOrderElementsOf(WORLD.members());
        for (PlannedWorkload w : WORLD.workloads()) assertThat(WORLD.members()).contains(w.spec().member());
    }

    @Test
    void workloadsArriveInOrderWithinTheSimulatedTime() {
        List<PlannedWorkload> workloads = WORLD.workloads();
        assertThat(workloads).hasSize(2_000);
        for (int k = 0; k < workloads.size(); k++) {
            PlannedWorkload w = workloads.get(k);
            assertThat(w.spec().name()).isEqualTo("w" + (k + 1));
            assertThat(w.arrivesAt()).isBetween(0L, WORLD.horizonMillis() - 1);
            assertThat(w.departsAt()).isGreaterThan(w.arrivesAt());
            if (k > 0) assertThat(w.arrivesAt()).isGreaterThanOrEqualTo(workloads.get(k - 1).arrivesAt());
            assertThat(w.spec().replicas()).isIn(1, 2, 3, 5);
            assertThat(w.cpuUse()).isBetween(0.2, 1.0);
            assertThat(w.memoryUse()).isBetween(0.4, 1.0);
        }
        long preferring = workloads.stream().filter(w -> w.spec().placement().preferHighReputation()).count();
        assertThat(preferring).isBetween(300L, 500L); // 20%
    }

    @Test
    void onlyCrashingNodesHaveOutagesAndTheyDoNotOverlap() {
        assertThat(WORLD.outages()).isNotEmpty();
        long[] lastUp = new long[WORLD.nodes().size()];
        long previous = 0;
        for (Outage o : WORLD.outages()) {
            assertThat(WORLD.nodes().get(o.node()).crashing()).isTrue();
            assertThat(o.downAt()).isBetween(previous, WORLD.horizonMillis() - 1);
            assertThat(o.upAt()).isGreaterThan(o.downAt());
            assertThat(o.downAt()).isGreaterThan(lastUp[o.node()]);
            lastUp[o.node()] = o.upAt();
            previous = o.downAt();
        }
    }
}
