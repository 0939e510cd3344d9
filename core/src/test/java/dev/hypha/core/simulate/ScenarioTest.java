package dev.hypha.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.core.schedule.mycelial.CreditLimitFilter;
import dev.hypha.core.schedule.mycelial.ReliabilityScore;
import dev.hypha.model.InvalidSpecException;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        Scenario s = Scenario.of(1000, 10_000, 42);
        assertThat(s.hours()).isEqualTo(24);
        assertThat(s.flaky()).isEqualTo(0.1);
        assertThat(s.liars()).isEqualTo(0.05);
        assertThat(s.crashing()).isEqualTo(0.05);
        assertThat(s.witnesses()).isEqualTo(2);
        assertThat(s.withHours(6).withMisbehaviour(0.2, 0, 0.3))
                .isEqualTo(new Scenario(42, 1000, 10_000, 6, 0.2, 0, 0.3, 0.5, 0.1, 6, 30, 12, 2));
    }

    @Test
    void badKnobsFailWithASentence() {
        assertThatThrownBy(() -> Scenario.of(1, 10, 1)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("a simulation needs between 2 and 1000000 nodes, got 1");
        assertThatThrownBy(() -> Scenario.of(10, -1, 1))
                .hasMessage("the number of workloads must be between 0 and 10000000, got -1");
        assertThatThrownBy(() -> Scenario.of(10, 10, 1).withHours(0))
                .hasMessage("the simulated time must be between 1 and 672 hours, got 0");
        assertThatThrownBy(() -> Scenario.of(10, 10, 1).withMisbehaviour(1.5, 0, 0))
                .hasMessage("the flaky fraction must be in 0..1, got 1.5");
        assertThatThrownBy(() -> Scenario.of(10, 10, 1).withMisbehaviour(0, -0.1, 0))
                .hasMessage("the liars fraction must be in 0..1, got -0.1");
        assertThatThrownBy(() -> Scenario.of(10, 10, 1).withFlakiness(0.5, Double.NaN))
                .hasMessage("the flaky kills per hour must be zero or positive, got NaN");
        assertThatThrownBy(() -> new Scenario(1, 3, 10, 1, 0, 0, 0, 0.5, 0.1, 6, 30, 12, 3))
                .hasMessage("each node needs between 0 and 2 witnesses (other nodes), got 3");
        assertThat(Scenario.of(2, 10, 1).witnesses()).isEqualTo(1);
    }

    @Test
    void profilesAreKnownByName() {
        assertThat(SimulatedProfiles.named("simple").name()).isEqualTo("simple");
        var mycelial = SimulatedProfiles.named("mycelial");
        assertThat(mycelial.name()).isEqualTo("mycelial");
        assertThat(mycelial.filters()).extracting(f -> f.name())
                .containsExactly("node-alive", "resource-fit", "region", CreditLimitFilter.NAME, "reputation-floor");
        assertThat(mycelial.scorers()).extracting(s -> s.name()).contains(ReliabilityScore.NAME, "load-spread");
        assertThatThrownBy(() -> SimulatedProfiles.named("greedy"))
                .hasMessage("unknown scheduler profile 'greedy': choose from simple, mycelial");
    }
}
