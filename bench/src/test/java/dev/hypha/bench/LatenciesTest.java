package dev.hypha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void percentilesAreNearestRankOverWhatWasRecorded() {
        Latencies l = new Latencies(4);
        for (long ms = 100; ms >= 1; ms--) l.add(ms * 1_000_000); // 100 values, out of order, past the first capacity
        assertThat(l.size()).isEqualTo(100);
        assertThat(l.medianMillis()).isEqualTo(50.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.percentileMillis(1)).isEqualTo(1.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void anEmptySeriesOrAPercentileOutOfRangeIsAnError() {
        assertThatThrownBy(() -> new Latencies(1).medianMillis()).hasMessage("no durations recorded");
        Latencies one = new Latencies(1);
        one.add(5);
        assertThatThrownBy(() -> one.percentileMillis(0)).hasMessage("a percentile is in (0, 100], got 0.0");
        assertThatThrownBy(() -> one.percentileMillis(101)).hasMessage("a percentile is in (0, 100], got 101.0");
    }
}
