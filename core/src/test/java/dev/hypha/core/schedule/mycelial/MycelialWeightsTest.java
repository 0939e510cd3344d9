package dev.hypha.core.schedule.mycelial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.model.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MycelialWeightsTest {

    @Test
    void theDefaultsAreTheSeedsWeightsPlusLoadSpreadAndPreference() {
        MycelialWeights w = MycelialWeights.DEFAULT;
        assertThat(List.of(w.reliability(), w.contribution(), w.efficiency(), w.ecology()))
                .containsExactly(0.4, 0.3, 0.2, 0.1);
        assertThat(w.loadSpread()).isEqualTo(1.0);
        assertThat(w.reputationPreference()).isEqualTo(0.4);
        assertThat(w.reputationFloor()).isEqualTo(0.5);
    }

    @Test
    void pluginsListTheFiltersThenEveryScoreWithItsWeight() {
        List<ProfilePlugin> plugins = MycelialWeights.plugins(MycelialWeights.DEFAULT);
        assertThat(plugins).extracting(ProfilePlugin::name).containsExactly("credit-limit", "reputation-floor",
                "reliability", "contribution", "efficiency", "ecology", "load-spread", "reputation-preference");
        assertThat(plugins.subList(2, plugins.size())).extracting(p -> ((ProfilePlugin.Weighted) p).weight())
                .containsExactly(0.4, 0.3, 0.2, 0.1, 1.0, 0.4);
        assertThat(plugins.get(0)).isEqualTo(new ProfilePlugin.Filter(new CreditLimitFilter(CreditPolicy.DEFAULT)));
        assertThat(plugins.get(1)).isEqualTo(new ProfilePlugin.Filter(new ReputationFloorFilter(0.5)));
    }

    @Test
    void zeroWeightsLeaveTheirPluginOut() {
        MycelialWeights w = new MycelialWeights(1, 0, 0, 0, 0, 0, 0.7);
        assertThat(MycelialWeights.plugins(w)).extracting(ProfilePlugin::name)
                .containsExactly("credit-limit", "reputation-floor", "reliability");
        assertThat(MycelialWeights.plugins(w).get(1))
                .isEqualTo(new ProfilePlugin.Filter(new ReputationFloorFilter(0.7)));
    }

    @Test
    void weightsAreValidated() {
        assertThatThrownBy(() -> new MycelialWeights(-0.1, 0.3, 0.2, 0.1, 1, 0, 0.5))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("the reliability weight must be zero or positive, got -0.1");
        assertThatThrownBy(() -> new MycelialWeights(0.4, 0.3, 0.2, Double.NaN, 1, 0, 0.5))
                .hasMessage("the ecology weight must be zero or positive, got NaN");
        assertThatThrownBy(() -> new MycelialWeights(0, 0, 0, 0, 0, 1, 0.5))
                .hasMessage("at least one of the mycelial weights must be positive, or no node is better than another");
        assertThatThrownBy(() -> new MycelialWeights(0.4, 0.3, 0.2, 0.1, 1, 0, -1))
                .hasMessage("reputation_floor must be in 0..1, got -1.0");
        assertThatThrownBy(() -> new ProfilePlugin.Weighted(new LoadSpreadScore(), Double.POSITIVE_INFINITY))
                .hasMessage("the weight of load-spread must be zero or positive, got Infinity");
    }
}
