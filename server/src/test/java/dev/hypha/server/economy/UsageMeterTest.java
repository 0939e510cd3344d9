package dev.hypha.server.economy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.economy.MeasuredUsage;
import dev.hypha.core.economy.SettlementPeriod;
import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Resources;
import dev.hypha.model.economy.Pledge;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an instance used in a period, from its latest health sample: a table of cases. */
class UsageMeterTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final SettlementPeriod PERIOD = new SettlementPeriod(T0, T0.plusSeconds(30));
    private static final Pledge PLEDGE = new Pledge("pledge:web-1", "n1", "alice", "web", "bob", "web-1",
            new Resources(500, 256, 1024), T0.minusSeconds(600), null);

    private static UsageMeter.Sample running(double cpuPercent, long memoryMb, double watts) {
        return new UsageMeter.Sample(InstanceState.RUNNING, T0.minusSeconds(300),
                new ContainerHealthMetrics(cpuPercent, memoryMb, 300, 0, watts, true), true);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // A whole period at 50 % of a core and 128 MB: 15 core-s, 128 MB average, disk as pledged.
                Arguments.of("whole period", PLEDGE, running(50, 128, 2), new MeasuredUsage(15_000, 128, 1024), 30_000L, 60_000L),
                // Above the pledge: settlement charges what was measured (the cgroup limit is the cap).
                Arguments.of("over its pledge", PLEDGE, running(200, 512, 0), new MeasuredUsage(60_000, 512, 1024), 30_000L, null),
                // Placed 10 s into the period: 20 s of use, spread over the 30 s period for the averages.
                Arguments.of("placed mid-period", withCreated(T0.plusSeconds(10)), running(100, 300, 0),
                        new MeasuredUsage(20_000, 200, 682), 20_000L, null),
                // Released 6 s into the period: 6 s of use, spread over the 30 s period for the averages.
                Arguments.of("released mid-period", PLEDGE.release(T0.plusSeconds(6)), running(10, 64, 0),
                        new MeasuredUsage(600, 12, 204), 6_000L, null));
    }

    private static Pledge withCreated(Instant at) {
        return new Pledge(PLEDGE.id(), PLEDGE.nodeId(), PLEDGE.hostMember(), PLEDGE.workload(), PLEDGE.workloadMember(),
                PLEDGE.instanceId(), PLEDGE.resources(), at, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void measuresWhatTheLatestSampleShows(String name, Pledge pledge, UsageMeter.Sample sample, MeasuredUsage expected,
                                          long runMillis, Long energyMillijoules) {
        UsageMeter.Measurement m = UsageMeter.measure(pledge, sample, PERIOD);
        assertThat(m.usage()).isEqualTo(expected);
        assertThat(m.runMillis()).isEqualTo(runMillis);
        assertThat(m.energyMillijoules()).isEqualTo(energyMillijoules);
    }

    @Test
    void anInstanceThatDoesNotRunUsesNothing() {
        ContainerHealthMetrics busy = new ContainerHealthMetrics(90, 200, 10, 0, 5, true);
        assertThat(UsageMeter.measure(PLEDGE, null, PERIOD).isNothing()).as("never observed").isTrue();
        assertThat(UsageMeter.measure(PLEDGE, new UsageMeter.Sample(InstanceState.RESTARTING, T0, busy, true), PERIOD)
                .isNothing()).as("restarting").isTrue();
        assertThat(UsageMeter.measure(PLEDGE, new UsageMeter.Sample(InstanceState.RUNNING, T0, null, true), PERIOD)
                .isNothing()).as("no sample yet").isTrue();
        assertThat(UsageMeter.measure(PLEDGE, new UsageMeter.Sample(InstanceState.RUNNING, T0, busy, false), PERIOD)
                .isNothing()).as("its node is dead").isTrue();
        assertThat(UsageMeter.measure(PLEDGE, new UsageMeter.Sample(InstanceState.RUNNING, T0.plusSeconds(40), busy, true),
                PERIOD).isNothing()).as("started after the period").isTrue();
        assertThat(UsageMeter.measure(PLEDGE, running(90, 200, 5), PERIOD).usage().cpuTimeMillis())
                .isEqualTo(27_000);
        assertThat(Duration.ofMillis(UsageMeter.measure(PLEDGE, running(1, 1, 0), PERIOD).runMillis()))
                .isEqualTo(PERIOD.length());
    }
}
