package dev.hypha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void timeMovesOnlyWhenTold() {
        FakeClock clock = new FakeClock(Instant.EPOCH);
        assertThat(clock.instant()).isEqualTo(Instant.EPOCH);
        clock.advance(Duration.ofSeconds(3));
        assertThat(clock.millis()).isEqualTo(3000);
        clock.set(Instant.ofEpochSecond(10));
        assertThat(clock.instant()).isEqualTo(Instant.ofEpochSecond(10));
    }

    @Test
    void timeNeverGoesBack() {
        FakeClock clock = new FakeClock(Instant.ofEpochSecond(10));
        assertThatThrownBy(() -> clock.set(Instant.ofEpochSecond(9))).hasMessageContaining("cannot go back");
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).hasMessageContaining("negative");
    }
}
