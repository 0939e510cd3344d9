package dev.hypha.core.schedule;

import static dev.hypha.core.schedule.ScheduleFixtures.cluster;
import static dev.hypha.core.schedule.ScheduleFixtures.loaded;
import static dev.hypha.core.schedule.ScheduleFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Resources;
import dev.hypha.spi.ClusterSnapshot;
import org.junit.jupiter.api.Test;

class ClusterSnapshotsTest {
    @Test
    void aPlacementAddsItsRequestAndCountToTheNode() {
        ClusterSnapshot before = cluster(loaded("n1", 100, 100), loaded("n2", 0, 0));
        ClusterSnapshot after = ClusterSnapshots.withPlacement(before, "n1", spec("web", 250, 256));
        ClusterSnapshot twice = ClusterSnapshots.withPlacement(after, "n1", spec("web", 250, 256));
        assertThat(twice.nodes().get(0).allocated()).isEqualTo(new Resources(600, 612, 0));
        assertThat(twice.nodes().get(0).countOf("web")).isEqualTo(2);
        assertThat(twice.nodes().get(1)).isEqualTo(before.nodes().get(1));
        assertThat(before.nodes().get(0).countOf("web")).as("the original is untouched").isZero();
        assertThat(twice.revision()).isEqualTo(before.revision());
    }

    @Test
    void anUnknownNodeIsAnError() {
        assertThatThrownBy(() -> ClusterSnapshots.withPlacement(cluster(loaded("n1", 0, 0)), "n9", spec("web", 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node 'n9' is not in the cluster snapshot");
    }
}
