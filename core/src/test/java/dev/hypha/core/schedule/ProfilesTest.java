package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfilesTest {
    private static final ScorePlugin CONSTANT = new ScorePlugin() {
        public String name() {
            return "constant";
        }

        public double score(PlacementRequest request, NodeSnapshot node, ClusterSnapshot cluster) {
            return 0.5;
        }
    };

    @Test
    void theSimpleProfileHasTheDocumentedPluginsAndWeights() {
        SchedulerProfile p = Profiles.simple();
        assertThat(p.name()).isEqualTo("simple");
        assertThat(p.filters()).extracting(FilterPlugin::name).containsExactly("node-alive", "resource-fit", "region");
        assertThat(p.scorers()).extracting(WeightedScore::name).containsExactly("least-allocated", "spread");
        assertThat(p.scorers()).extracting(WeightedScore::weight).containsExactly(0.5, 0.5);
        assertThat(p.topCandidates()).isEqualTo(5);
        assertThat(new PipelineScheduler(p).profile()).isEqualTo("simple");
    }

    @Test
    void aProfileIsValidatedWhenBuilt() {
        List<FilterPlugin> filters = List.of(new NodeAliveFilter());
        List<WeightedScore> scorers = List.of(new WeightedScore(CONSTANT, 1));
        assertThatThrownBy(() -> new SchedulerProfile(" ", filters, scorers, 5))
                .hasMessage("a scheduler profile needs a name");
        assertThatThrownBy(() -> new SchedulerProfile("p", filters, scorers, 0))
                .hasMessage("profile 'p': topCandidates must be between 1 and 50, got 0");
        assertThatThrownBy(() -> new SchedulerProfile("p", List.of(new NodeAliveFilter(), new NodeAliveFilter()),
                scorers, 5)).hasMessage("profile 'p' lists filter plugin 'node-alive' twice");
        assertThatThrownBy(() -> new SchedulerProfile("p", filters,
                List.of(new WeightedScore(CONSTANT, 1), new WeightedScore(CONSTANT, 2)), 5))
                .hasMessage("profile 'p' lists score plugin 'constant' twice");
    }

    @Test
    void weightsMustBePositiveAndFinite() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new WeightedScore(CONSTANT, bad))
                    .hasMessage("weight of score plugin 'constant' must be a positive finite number, got " + bad);
        }
        assertThat(new WeightedScore(CONSTANT, 0.25).name()).isEqualTo("constant");
    }

    @Test
    void profileListsAreCopied() {
        List<FilterPlugin> filters = new java.util.ArrayList<>(List.of(new NodeAliveFilter()));
        SchedulerProfile p = new SchedulerProfile("p", filters, List.of(), 1);
        filters.add(new RegionFilter());
        assertThat(p.filters()).hasSize(1);
    }
}
