package dev.hypha.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.model.PowerProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnergyModelTest {
    private final EnergyModel model = new EnergyModel(new PowerProfile(40, 180));

    @ParameterizedTest(name = "node at {0} draws {1} W")
    @CsvSource({"0, 40", "0.5, 110", "1, 180", "-0.2, 40", "1.7, 180", "NaN, 40"})
    void nodePowerIsLinearBetweenIdleAndMax(double utilisation, double watts) {
        assertThat(model.nodeWatts(utilisation)).isCloseTo(watts, within(1e-9));
    }

    @ParameterizedTest(name = "cpu share {0}, idle share {1} -> {2} W")
    @CsvSource({
        "0, 0, 0",
        "0, 0.25, 10",        // a quarter of the idle 40 W
        "0.5, 0, 70",         // half of the 140 W dynamic range
        "0.1, 0.125, 19",     // 5 + 14
        "1, 1, 180",
        "2, 3, 180",          // shares are clamped
    })
    void containerPowerIsIdleSharePlusDynamicShare(double cpuShare, double idleShare, double watts) {
        EnergyEstimate e = model.containerWatts(cpuShare, idleShare);
        assertThat(e.watts()).isCloseTo(watts, within(1e-9));
        assertThat(e.estimated()).isTrue();
    }

    @ParameterizedTest(name = "{0} ns cpu in {1} ns on {2} cpus -> {3}")
    @CsvSource({
        "1000000000, 1000000000, 1, 1",
        "1000000000, 1000000000, 4, 0.25",
        "500000000, 2000000000, 2, 0.125",
        "5000000000, 1000000000, 2, 1",   // more than the node can do: clamped
        "-5, 1000000000, 2, 0",           // counter went backwards
        "100, 0, 2, 0",
        "100, 1000, 0, 0",
    })
    void cpuShareIsCpuTimeOverNodeTime(long cpu, long interval, int cpus, double share) {
        assertThat(EnergyModel.cpuShare(cpu, interval, cpus)).isCloseTo(share, within(1e-12));
    }

    @ParameterizedTest(name = "{0}m of {1}m -> {2}")
    @CsvSource({"250, 4000, 0.0625", "4000, 4000, 1", "8000, 4000, 1", "0, 4000, 0", "100, 0, 0"})
    void idleShareIsTheReservation(long requested, long capacity, double share) {
        assertThat(EnergyModel.idleShare(requested, capacity)).isCloseTo(share, within(1e-12));
    }

    @ParameterizedTest(name = "{0} uJ in {1} ns, share {2} -> {3} W")
    @CsvSource({
        "50000000, 1000000000, 1, 50",    // 50 J in 1 s
        "50000000, 1000000000, 0.2, 10",
        "30000000, 2000000000, 0.5, 7.5",
        "0, 1000000000, 1, 0",
        "100, 0, 1, 0",
    })
    void measuredPowerSplitsTheNodeByUsedCpu(long microjoules, long nanos, double share, double watts) {
        EnergyEstimate e = EnergyModel.measured(microjoules, nanos, share);
        assertThat(e.watts()).isCloseTo(watts, within(1e-9));
        assertThat(e.estimated()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1} (range {2}) = {3}")
    @CsvSource({"100, 250, 1000, 150", "900, 50, 1000, 150", "900, 50, 0, 0", "7, 7, 1000, 0"})
    void raplCounterDeltaSurvivesOneWrap(long before, long after, long range, long delta) {
        assertThat(EnergyModel.counterDelta(before, after, range)).isEqualTo(delta);
    }

    @Test
    void anEstimateCannotBeNegativeOrInfinite() {
        assertThatThrownBy(() -> new EnergyEstimate(-1, true)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new EnergyEstimate(Double.POSITIVE_INFINITY, true)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new EnergyEstimate(Double.NaN, true)).hasMessageContaining("finite");
    }
}
