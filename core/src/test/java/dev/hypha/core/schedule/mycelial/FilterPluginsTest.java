package dev.hypha.core.schedule.mycelial;

import static dev.hypha.core.schedule.mycelial.Snapshots.cluster;
import static dev.hypha.core.schedule.mycelial.Snapshots.node;
import static dev.hypha.core.schedule.mycelial.Snapshots.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.Credits;
import dev.hypha.core.schedule.FilterResult;
import dev.hypha.model.Resources;
import dev.hypha.spi.NodeSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FilterPluginsTest {
    static final Resources SMALL = new Resources(100, 64, 0);

    static Stream<Arguments> floor() {
        return Stream.of(
                // prefers high reputation, node reliability, fits
                Arguments.of(false, 0.0, true),
                Arguments.of(false, 0.49, true),
                Arguments.of(true, 0.49, false),
                Arguments.of(true, 0.5, true),
                Arguments.of(true, 0.97, true),
                Arguments.of(true, 0.0, false));
    }

    @ParameterizedTest(name = "prefer {0}, reliability {1}")
    @MethodSource("floor")
    void theReputationFloorAppliesOnlyToWorkloadsThatPreferHighReputation(boolean prefer, double reliability,
                                                                          boolean fits) {
        NodeSnapshot n = node("n1").reliability(reliability).build();
        FilterResult r = new ReputationFloorFilter().filter(request("web", "alice", SMALL, prefer), n, cluster(n));
        if (fits) {
            assertThat(r).isEqualTo(FilterResult.fits());
        } else {
            assertThat(r).isEqualTo(FilterResult.rejected("reliability below the reputation floor of 0.50"));
        }
    }

    @Test
    void theFloorIsConfigurableAndValidated() {
        NodeSnapshot n = node("n1").reliability(0.7).build();
        var picky = request("web", "alice", SMALL, true);
        assertThat(new ReputationFloorFilter(0.8).filter(picky, n, cluster(n)))
                .isEqualTo(FilterResult.rejected("reliability below the reputation floor of 0.80"));
        assertThat(new ReputationFloorFilter(0.7).filter(picky, n, cluster(n))).isEqualTo(FilterResult.fits());
        assertThatThrownBy(() -> new ReputationFloorFilter(1.5)).hasMessage("the reputation floor must be in 0..1, got 1.5");
    }

    static Stream<Arguments> credit() {
        long soft = Credits.ofCredits(-1_000), hard = Credits.ofCredits(-5_000);
        return Stream.of(
                // alice's balance, node's member, fits
                Arguments.of(0L, "bob", true),
                Arguments.of(soft - 1, "bob", true),       // low priority: ordered later, not filtered
                Arguments.of(hard, "bob", true),           // at the hard limit, not over it
                Arguments.of(hard - 1, "bob", false),      // over it: not on others' nodes
                Arguments.of(hard - 1, "alice", true));    // but on its own nodes, where no credit moves
    }

    @ParameterizedTest(name = "balance {0} on a node of {1}")
    @MethodSource("credit")
    void aMemberOverItsHardLimitMayOnlyUseItsOwnNodes(long balance, String nodeMember, boolean fits) {
        NodeSnapshot n = node("n1").member(nodeMember).build();
        FilterResult r = new CreditLimitFilter(CreditPolicy.DEFAULT).filter(request("web", "alice", SMALL, false), n,
                cluster(List.of(n), Map.of("alice", balance)));
        assertThat(r).isEqualTo(fits ? FilterResult.fits() : FilterResult.rejected(CreditLimitFilter.REASON));
    }
}
