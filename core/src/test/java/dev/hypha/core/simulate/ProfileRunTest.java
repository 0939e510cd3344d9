package dev.hypha.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.core.schedule.SchedulerProfile;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The snapshots a run hands the scheduler are updated incrementally (only changed nodes, in a
 * chunked list) and rebuilt whole every hour, or more often when asked: neither may change a number.
 */
class ProfileRunTest {
    static LongStream seeds() {
        return LongStream.range(0, 4).map(i -> 0x5EED_0000L + i);
    }

    /**
     * Rebuilding every node before every placement is the reference: the scheduler then sees a
     * snapshot made from scratch. Runs that rebuild every few changes, or only hourly, must agree
     * with it to the last digit, on clusters above and below one 64-node chunk.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void incrementalSnapshotsGiveTheSameReportAsSnapshotsBuiltFromScratch(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        Scenario scenario = Scenario.of(10 + random.nextInt(140), 100 + random.nextInt(250), seed)
                .withHours(1 + random.nextInt(4))
                .withMisbehaviour(random.nextDouble(0.3), random.nextDouble(0.2), random.nextDouble(0.3));
        World world = World.generate(scenario);
        for (String name : SimulatedProfiles.NAMES) {
            SchedulerProfile profile = SimulatedProfiles.named(name);
            ProfileReport fromScratch = new ProfileRun(world, profile, 1).run();
            assertThat(new ProfileRun(world, profile, 1 + random.nextInt(40)).run())
                    .as("seed %d, %s, %s, rebuilt every few changes", seed, name, scenario).isEqualTo(fromScratch);
            assertThat(new ProfileRun(world, profile, Integer.MAX_VALUE).run())
                    .as("seed %d, %s, %s, rebuilt hourly only", seed, name, scenario).isEqualTo(fromScratch);
            assertThat(new ProfileRun(world, profile).run())
                    .as("seed %d, %s, %s, the default", seed, name, scenario).isEqualTo(fromScratch);
        }
    }

    @Test
    void aRebuildIntervalBelowOneIsRefused() {
        World world = World.generate(Scenario.of(4, 1, 1));
        assertThatThrownBy(() -> new ProfileRun(world, SimulatedProfiles.named("simple"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compactAfter must be at least 1, got 0");
    }
}
