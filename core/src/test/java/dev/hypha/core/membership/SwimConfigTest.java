package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SwimConfigTest {

    @Test
    void lanProfileIsMemberlistsDefaultLanConfig() {
        SwimConfig lan = SwimConfig.lan();
        assertThat(lan.probeInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(lan.probeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(lan.indirectChecks()).isEqualTo(3);
        assertThat(lan.suspicionMult()).isEqualTo(4);
        assertThat(lan.suspicionMaxTimeoutMult()).isEqualTo(6);
        assertThat(lan.retransmitMult()).isEqualTo(4);
        assertThat(lan.pushPullInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(lan.awarenessMaxMultiplier()).isEqualTo(8);
        assertThat(lan.gossipInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(lan.gossipNodes()).isEqualTo(3);
        assertThat(lan.maxPacketSize()).isEqualTo(1400);
    }

    @Test
    void localProfileIsValidAndFaster() {
        assertThat(SwimConfig.local().probeInterval()).isLessThan(SwimConfig.lan().probeInterval());
    }

    @Test
    void aProbeTimeoutLongerThanHalfThePeriodIsRejected() {
        assertThatThrownBy(() -> SwimConfig.lan().withProbe(Duration.ofSeconds(1), Duration.ofMillis(600)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most half of probe_interval");
    }

    @Test
    void nonPositiveDurationsAndCountsAreRejected() {
        assertThatThrownBy(() -> SwimConfig.lan().withProbe(Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("probe_interval must be positive");
        assertThatThrownBy(() -> SwimConfig.lan().withIndirectChecks(-1))
                .hasMessageContaining("indirect_checks must be at least 0");
        assertThatThrownBy(() -> SwimConfig.lan().withPushPullInterval(Duration.ofSeconds(-1)))
                .hasMessageContaining("push_pull_interval must not be negative");
    }

    @Test
    void timeIsKeptInMilliseconds() {
        assertThatThrownBy(() -> SwimConfig.lan().withProbe(Duration.ofMillis(1), Duration.ofNanos(500_000)))
                .hasMessageContaining("probe_timeout must be at least 1 ms");
    }

    @Test
    void packetSizeMustBeAUsableDatagram() {
        SwimConfig lan = SwimConfig.lan();
        assertThatThrownBy(() -> new SwimConfig(lan.probeInterval(), lan.probeTimeout(), 3, 4, 6, 4,
                lan.pushPullInterval(), 8, lan.gossipInterval(), 3, lan.gossipToTheDeadTime(), 100,
                lan.streamTimeout()))
                .hasMessageContaining("max_packet_size must be between 512 and 65507 bytes, got 100");
    }
}
