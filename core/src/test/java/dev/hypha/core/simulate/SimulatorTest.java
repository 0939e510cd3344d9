package dev.hypha.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.core.schedule.Profiles;
import dev.hypha.core.schedule.SchedulerProfile;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorTest {
    static final List<SchedulerProfile> BOTH = List.of(Profiles.simple(), SimulatedProfiles.named("mycelial"));

    static Scenario small(long seed) {
        return Scenario.of(60, 400, seed).withHours(8);
    }

    @Test
    void theSameScenarioGivesTheSameReport() {
        SimulationReport first = Simulator.run(small(7), BOTH);
        SimulationReport second = Simulator.run(small(7), BOTH);
        assertThat(second).isEqualTo(first);
        assertThat(Simulator.run(small(8), BOTH)).isNotEqualTo(first);
    }

    @Test
    void aProfilesResultDoesNotDependOnTheProfilesRunWithIt() {
        SimulationReport both = Simulator.run(small(11), BOTH);
        World world = World.generate(small(11));
        assertThat(Simulator.runProfile(world, SimulatedProfiles.named("mycelial"))).isEqualTo(both.profiles().get(1));
        assertThat(Simulator.runProfile(world, Profiles.simple())).isEqualTo(both.profiles().get(0));
        assertThat(both.world()).isEqualTo(world.summary());
        assertThat(both.scenario()).isEqualTo(small(11));
    }

    static LongStream seeds() {
        return LongStream.range(0, 12).map(i -> 0x51B0_0000L + i);
    }

    /** Random small scenarios, some crowded enough that placements fail: the numbers must add up. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theReportsNumbersAreConsistent(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        Scenario scenario = Scenario.of(4 + random.nextInt(60), random.nextInt(600), seed)
                .withHours(1 + random.nextInt(10))
                .withMisbehaviour(random.nextDouble(0.4), random.nextDouble(0.3), random.nextDouble(0.3))
                .withWorkloadMeanHours(1 + random.nextDouble(20));
        SimulationReport report = Simulator.run(scenario, BOTH);
        assertThat(report.profiles()).extracting(ProfileReport::profile).containsExactly("simple", "mycelial");
        for (ProfileReport p : report.profiles()) {
            String what = "seed " + seed + ", " + p;
            assertThat(p.placed() + p.unplaceable()).as(what).isEqualTo(p.placementAttempts());
            assertThat(p.startFailures() + p.killedByNode() + p.lostInCrashes()).as(what).isEqualTo(p.replicasLost());
            assertThat(p.replicasLost()).as(what).isLessThanOrEqualTo(p.placed());
            assertThat(p.placementSuccessRate()).as(what)
                    .isCloseTo(p.placementAttempts() == 0 ? 1 : (double) p.placed() / p.placementAttempts(), within(1e-12));
            assertThat(p.balanceGini()).as(what).isBetween(0.0, 1.0);
            assertThat(p.cpuUtilisation()).as(what).isBetween(0.0, 1.0);
            assertThat(p.meanChosenReliability()).as(what).isBetween(0.0, 1.0);
            assertThat(p.balanceStdDevCredits()).as(what).isGreaterThanOrEqualTo(0);
            assertThat(p.co2GramsPerHour()).as(what).isGreaterThanOrEqualTo(0);
            assertThat(p.replicasMissingAtEnd()).as(what).isGreaterThanOrEqualTo(0);
            if (report.world().flakyNodes() == 0) {
                assertThat(p.startFailures() + p.killedByNode()).as(what).isZero();
            }
            if (report.world().outages() == 0) assertThat(p.lostInCrashes()).as(what).isZero();
        }
    }

    @Test
    void aClusterWithoutMisbehaviourLosesNothing() {
        Scenario calm = Scenario.of(40, 300, 3).withHours(6).withMisbehaviour(0, 0, 0);
        for (ProfileReport p : Simulator.run(calm, BOTH).profiles()) {
            assertThat(p.replicasLost()).as(p.profile()).isZero();
            assertThat(p.meanChosenReliability()).as(p.profile()).isEqualTo(1.0);
            assertThat(p.placementSuccessRate()).as(p.profile()).isEqualTo(1.0);
            assertThat(p.placementAttempts()).as(p.profile()).isEqualTo(p.placed());
            assertThat(p.co2GramsPerHour()).as(p.profile()).isPositive();
        }
    }

    @Test
    void aCrowdedClusterCountsUnplaceableReplicasAndRetriesThem() {
        // Four small nodes for 300 long-lived workloads: most replicas never find room.
        Scenario crowded = Scenario.of(4, 300, 5).withHours(4).withMisbehaviour(0, 0, 0).withWorkloadMeanHours(100);
        for (ProfileReport p : Simulator.run(crowded, BOTH).profiles()) {
            assertThat(p.unplaceable()).as(p.profile()).isPositive();
            assertThat(p.placementSuccessRate()).as(p.profile()).isLessThan(0.5);
            assertThat(p.replicasMissingAtEnd()).as(p.profile()).isPositive();
            assertThat(p.cpuUtilisation()).as(p.profile()).isGreaterThan(0.5);
        }
    }

    static Stream<Arguments> flakyScenarios() {
        return Stream.of(
                Arguments.of(1L, 0.05),
                Arguments.of(2L, 0.05),
                // Many liars smear honest nodes and praise each other; the server's reports, trusted
                // a priori, outweigh them (EigenTrust with credibility), so flaky nodes stay exposed.
                Arguments.of(3L, 0.30));
    }

    /**
     * After the first hour the mycelial profile knows which nodes fail (reputation) and sends work
     * elsewhere; the simple profile keeps choosing them by free capacity alone.
     */
    @ParameterizedTest(name = "seed {0}, liars {1}")
    @MethodSource("flakyScenarios")
    void mycelialLosesFewerReplicasToFlakyNodesThanSimple(long seed, double liars) {
        Scenario flaky = Scenario.of(150, 1500, seed).withHours(12).withMisbehaviour(0.2, liars, 0.05);
        SimulationReport report = Simulator.run(flaky, BOTH);
        ProfileReport simple = report.profiles().get(0);
        ProfileReport mycelial = report.profiles().get(1);
        assertThat(mycelial.startFailures() + mycelial.killedByNode())
                .as("replicas lost to flaky nodes, seed %d, liars %s:%n simple %s%n mycelial %s", seed, liars, simple,
                        mycelial)
                .isLessThan((simple.startFailures() + simple.killedByNode()) * 3 / 4);
        assertThat(mycelial.meanChosenReliability()).isGreaterThan(simple.meanChosenReliability());
    }
}
