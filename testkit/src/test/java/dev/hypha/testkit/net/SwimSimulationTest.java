package dev.hypha.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.membership.SwimConfig;
import dev.hypha.core.membership.SwimMath;
import dev.hypha.model.NodeState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SWIM on the simulated network at the scale it is for: a thousand members, crashes, loss,
 * partitions, broadcasts. Each test prints its {@link SimulationReport}.
 */
class SwimSimulationTest {
    private static final SwimConfig LAN = SwimConfig.lan();
    private static final int MEMBERS = 1000;

    @Test
    void aCrashedMemberIsDeclaredDeadByEveryLiveMember() {
        SwimSimulator sim = joined(MEMBERS, 11);
        String victim = sim.id(MEMBERS / 2);
        sim.crash(victim);
        assertThat(sim.runUntil(sim::crashesDetected, periods(120))).isTrue();
        SimulationReport report = print("crash of one member among 1,000", sim.report());

        assertThat(sim.allLiveSee(victim, NodeState.DEAD)).isTrue();
        assertThat(report.detections()).isEqualTo(MEMBERS - 1);
        assertThat(report.undetected()).isZero();
        assertThat(report.falsePositives()).isZero();
        // Nobody declares it dead before the minimum suspicion (4 × log10(1000) = 12 periods), and
        // confirmations from independent probers keep everyone well under the maximum (72 periods).
        double min = SwimMath.suspicionTimeout(LAN.suspicionMult(), MEMBERS, LAN.probeInterval()).toMillis()
                / (double) LAN.probeInterval().toMillis();
        assertThat(report.detectionMedianPeriods()).isGreaterThanOrEqualTo(min).isLessThan(2 * min);
        assertThat(report.detectionP99Periods()).isLessThan(2 * min);
    }

    @Test
    void withTenPercentLossOnEveryLinkNoLiveMemberIsEverDeclaredDead() {
        SwimSimulator sim = joined(MEMBERS, 12);
        sim.network().setLoss(0.10);
        sim.runFor(periods(300));
        SimulationReport report = print("10 % datagram loss on every link, 300 periods", sim.report());

        assertThat(report.falsePositives()).isZero();
        // The loss did bite: members were suspected, and each suspicion was refuted in time.
        assertThat(report.falseSuspicions()).isPositive();
        assertThat(report.refutations()).isPositive();
        // With the loss gone, the last suspicions are refuted and every member sees every other alive.
        sim.network().setLoss(0);
        assertThat(sim.runUntil(() -> sim.converged() == MEMBERS, periods(30))).isTrue();
    }

    @Test
    void aBroadcastReachesAllMembersInLogarithmicTime() {
        SwimSimulator sim = joined(MEMBERS, 13);
        sim.broadcast(sim.id(7), "reputation", "node-0042 finished 17 of 17".getBytes());
        assertThat(sim.runUntil(() -> sim.broadcastReach() == MEMBERS, periods(30))).isTrue();
        SimulationReport report = print("one broadcast to 1,000 members", sim.report());

        // Epidemic spread: the infected set multiplies every gossip round, so log2(n) periods is
        // a generous bound (the retransmit window itself is only a few periods).
        assertThat(report.disseminationPeriods()).isLessThanOrEqualTo(Math.log(MEMBERS) / Math.log(2));
        assertThat(sim.broadcastDuplicates()).isZero();
    }

    @Test
    void aCutLinkIsBridgedByIndirectProbes() {
        SwimSimulator sim = joined(30, 14);
        String a = sim.id(3);
        String b = sim.id(4);
        sim.network().cut(sim.address(a), sim.address(b));
        sim.runFor(periods(120));
        SimulationReport report = print("one cut link among 30 members", sim.report());

        assertThat(report.falseSuspicions()).isZero();
        assertThat(report.falsePositives()).isZero();
        assertThat(sim.view(a, b)).isEqualTo(NodeState.ALIVE);
        assertThat(sim.view(b, a)).isEqualTo(NodeState.ALIVE);
    }

    @Test
    void anIsolatedMemberIsDeclaredDeadAndComesBackAfterHealing() {
        SwimSimulator sim = joined(30, 15);
        String loner = sim.id(9);
        sim.network().isolate(sim.address(loner));
        assertThat(sim.runUntil(() -> sim.allLiveSee(loner, NodeState.DEAD), periods(120))).isTrue();
        sim.network().heal();
        // It learns it was declared dead (gossip to the dead, or a join retry once it has forgotten
        // everyone it could not reach) and refutes with a higher incarnation.
        assertThat(sim.runUntil(() -> sim.converged() == 30, periods(300))).isTrue();
        assertThat(sim.node(loner).incarnation()).isPositive();
        print("an isolated member among 30, healed", sim.report());
    }

    @Test
    void aMemberThatLeavesIsSeenAsLeftByEveryone() {
        SwimSimulator sim = joined(100, 16);
        String leaver = sim.id(42);
        sim.leave(leaver);
        assertThat(sim.runUntil(() -> sim.node(leaver).leaveDisseminated(), periods(10))).isTrue();
        sim.crash(leaver);
        assertThat(sim.runUntil(() -> sim.allLiveSee(leaver, NodeState.LEFT), periods(10))).isTrue();
        sim.runFor(periods(20));
        SimulationReport report = print("a graceful leave among 100", sim.report());
        // A left member is not probed, so it is never suspected nor declared dead.
        assertThat(report.falseSuspicions()).isZero();
        assertThat(report.detections()).isZero();
        assertThat(report.falsePositives()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        List<SimulationReport> runs = List.of(crashRun(5), crashRun(5), crashRun(6));
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(2)).isNotEqualTo(runs.get(0));
    }

    private static SimulationReport crashRun(long seed) {
        SwimSimulator sim = joined(100, seed);
        sim.network().setLoss(0.05);
        sim.crash(sim.id(10));
        sim.runFor(periods(40));
        return sim.report();
    }

    private static SwimSimulator joined(int members, long seed) {
        SwimSimulator sim = new SwimSimulator(members, LAN, seed);
        sim.joinAll(periods(600));
        return sim;
    }

    private static Duration periods(int n) {
        return LAN.probeInterval().multipliedBy(n);
    }

    private static SimulationReport print(String title, SimulationReport report) {
        System.out.println("== " + title + System.lineSeparator() + report.format());
        return report;
    }
}
