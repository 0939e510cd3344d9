package dev.hypha.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.PowerProfile;
import dev.hypha.spi.ContainerStats;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthSamplerTest {
    private static final Instant STARTED = Instant.parse("2025-03-01T12:00:00Z");
    private static final long MIB = 1024 * 1024;
    private final HealthSampler sampler = new HealthSampler(new EnergyModel(new PowerProfile(40, 180)), 2);

    private static ContainerStats stats(long atSeconds, long cpuNanos, long memoryBytes, long network) {
        return new ContainerStats(STARTED.plusSeconds(atSeconds), cpuNanos, memoryBytes, 64 * MIB, 3, network);
    }

    @ParameterizedTest(name = "{1} ns cpu over {0} s -> {2} %")
    @CsvSource({
        "10, 1000000000, 10",      // a tenth of a core
        "10, 10000000000, 100",    // one full core
        "10, 20000000000, 200",    // two cores
        "10, 0, 0",
        "0, 1000000000, 0",        // no time passed: no rate
    })
    void cpuPercentIsCpuTimeOverWallTime(long seconds, long cpuNanos, double percent) {
        ContainerStats before = stats(100, 5_000_000_000L, 0, 0);
        ContainerStats after = stats(100 + seconds, 5_000_000_000L + cpuNanos, 0, 0);
        assertThat(sampler.sample(before, after, STARTED, 0).cpuUsagePercent()).isCloseTo(percent, within(1e-9));
    }

    @Test
    void aSampleCarriesMemoryUptimeNetworkAndEstimatedEnergy() {
        ContainerStats before = stats(60, 1_000_000_000L, 10 * MIB, 100);
        ContainerStats after = stats(70, 6_000_000_000L, 12 * MIB + MIB / 2, 4_200);
        ContainerHealthMetrics m = sampler.sample(before, after, STARTED, 0.25);

        assertThat(m.cpuUsagePercent()).isCloseTo(50, within(1e-9));
        assertThat(m.memoryUsageMb()).isEqualTo(13); // 12.5 MiB rounds to the nearest
        assertThat(m.uptimeSeconds()).isEqualTo(70);
        assertThat(m.networkBytesTransferred()).isEqualTo(4_200);
        // 40 W × 0.25 + 140 W × (5 s cpu / (10 s × 2 cpus)) = 10 + 35
        assertThat(m.energyConsumptionWatts()).isCloseTo(45, within(1e-9));
        assertThat(m.energyEstimated()).isTrue();
    }

    @Test
    void theFirstSampleHasNoRateButItsIdleShare() {
        ContainerHealthMetrics m = sampler.sample(null, stats(5, 9_000_000_000L, 3 * MIB, 0), STARTED, 0.5);
        assertThat(m.cpuUsagePercent()).isZero();
        assertThat(m.energyConsumptionWatts()).isCloseTo(20, within(1e-9));
        assertThat(m.uptimeSeconds()).isEqualTo(5);
        assertThat(m.memoryUsageMb()).isEqualTo(3);
    }

    @Test
    void aReplacedContainerReportsNoNegativeRate() {
        ContainerStats before = stats(100, 9_000_000_000L, MIB, 500);
        ContainerStats after = stats(110, 1_000_000L, MIB, 20);
        ContainerHealthMetrics m = sampler.sample(before, after, STARTED.plusSeconds(105), 0);
        assertThat(m.cpuUsagePercent()).isZero();
        assertThat(m.energyConsumptionWatts()).isZero();
        assertThat(m.uptimeSeconds()).isEqualTo(5);
        assertThat(m.networkBytesTransferred()).isEqualTo(20);
    }

    @ParameterizedTest(name = "{0} bytes -> {1} MiB")
    @CsvSource({"0, 0", "-4, 0", "524287, 0", "524288, 1", "1048576, 1", "33554432, 32"})
    void memoryIsRoundedToWholeMebibytes(long bytes, long mb) {
        assertThat(HealthSampler.memoryMb(bytes)).isEqualTo(mb);
    }

    @Test
    void uptimeBeforeTheStartIsZero() {
        assertThat(HealthSampler.uptimeSeconds(STARTED, STARTED.minusSeconds(3))).isZero();
        assertThat(HealthSampler.uptimeSeconds(STARTED, STARTED.plusMillis(2_999))).isEqualTo(2);
    }
}
