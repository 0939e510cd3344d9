package dev.hypha.core.schedule;

import static dev.hypha.core.schedule.ScheduleFixtures.cluster;
import static dev.hypha.core.schedule.ScheduleFixtures.node;
import static dev.hypha.core.schedule.ScheduleFixtures.request;
import static dev.hypha.core.schedule.ScheduleFixtures.snapshotOf;
import static dev.hypha.core.schedule.ScheduleFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hypha.model.NodeState;
import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.NodeSnapshot;
import dev.hypha.spi.PlacementRequest;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PluginsTest {

    private static NodeSnapshot node4000x8192(long cpuUsed, long memUsed, long diskUsed) {
        return snapshotOf(node("n1", 4000, 8192, "eu", NodeState.ALIVE), new Resources(cpuUsed, memUsed, diskUsed),
                Map.of());
    }

    static Stream<Arguments> nodeStates() {
        return Stream.of(
                Arguments.of(NodeState.ALIVE, FilterResult.FITS),
                Arguments.of(NodeState.SUSPECT, NodeAliveFilter.NODE_SUSPECT),
                Arguments.of(NodeState.DEAD, NodeAliveFilter.NODE_DEAD),
                Arguments.of(NodeState.LEFT, NodeAliveFilter.NODE_LEFT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("nodeStates")
    void nodeAliveAcceptsOnlyAliveNodes(NodeState state, FilterResult expected) {
        NodeSnapshot n = snapshotOf(node("n1", 4000, 8192, "eu", state), Resources.ZERO, Map.of());
        assertThat(new NodeAliveFilter().filter(request(1), n, cluster(n))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "used {0}m/{1}MB/{2}MB disk, asks {3}m/{4}MB/{5}MB -> {6}")
    @CsvSource({
            "0,    0,    0,     4000, 8192, 20480, fits",
            "3000, 0,    0,     1000, 64,   0,     fits",
            "3001, 0,    0,     1000, 64,   0,     insufficient cpu",
            "0,    8000, 0,     100,  193,  0,     insufficient memory",
            "0,    0,    20000, 100,  64,   481,   insufficient disk",
            "4000, 8192, 20480, 1,    1,    1,     insufficient cpu",
            "5000, 0,    0,     1,    1,    0,     insufficient cpu",
    })
    void resourceFitComparesEachRequestWithWhatIsFree(long cpuUsed, long memUsed, long diskUsed, long cpu, long mem,
                                                      long disk, String expected) {
        NodeSnapshot n = node4000x8192(cpuUsed, memUsed, diskUsed);
        PlacementRequest r = new PlacementRequest(new WorkloadSpec("web", "img", null, 1, new Resources(cpu, mem, disk),
                null, null, null, null), "web-1", 1);
        FilterResult result = new ResourceFitFilter().filter(r, n, cluster(n));
        if (expected.equals("fits")) {
            assertThat(result).isSameAs(FilterResult.FITS);
        } else {
            assertThat(result).isInstanceOfSatisfying(FilterResult.Rejected.class,
                    rej -> assertThat(rej.reason()).isEqualTo(expected));
        }
    }

    @Test
    void resourceFitExplainsEveryShortfallWithItsSize() {
        NodeSnapshot n = node4000x8192(3800, 7680, 0);
        PlacementRequest r = request(spec("web", 500, 1024), 1);
        ResourceFitFilter f = new ResourceFitFilter();
        FilterResult.Rejected rej = (FilterResult.Rejected) f.filter(r, n, cluster(n));
        assertThat(rej).isSameAs(ResourceFitFilter.INSUFFICIENT_CPU);
        assertThat(f.explain(rej, r, n, cluster(n))).isEqualTo(
                "needs 500m cpu, 200m free (300m short); needs 1024 MB memory, 512 MB free (512 MB short)");
    }

    @Test
    void regionFilterHonoursTheAllowedRegions() {
        NodeSnapshot eu = snapshotOf(node("n1", 4000, 8192, "eu-west", NodeState.ALIVE), Resources.ZERO, Map.of());
        RegionFilter f = new RegionFilter();
        assertThat(f.filter(request(spec("web", 100, 64), 1), eu, cluster(eu))).isSameAs(FilterResult.FITS);
        assertThat(f.filter(request(spec("web", 100, 64, "us", "eu-west"), 1), eu, cluster(eu)))
                .isSameAs(FilterResult.FITS);
        PlacementRequest usOnly = request(spec("web", 100, 64, "us-east", "us-west"), 1);
        assertThat(f.filter(usOnly, eu, cluster(eu))).isSameAs(RegionFilter.REGION_NOT_ALLOWED);
        assertThat(f.explain(RegionFilter.REGION_NOT_ALLOWED, usOnly, eu, cluster(eu)))
                .isEqualTo("node is in region 'eu-west'; the workload allows only us-east, us-west");
    }

    @ParameterizedTest(name = "used {0}m/{1}MB, asks {2}m/{3}MB -> {4}")
    @CsvSource({
            "0,    0,    1000, 2048, 0.75",
            "0,    0,    4000, 8192, 0.0",
            "2000, 0,    0,    0,    0.75",
            "2000, 4096, 1000, 2048, 0.25",
            "4000, 8192, 1000, 1000, 0.0",
    })
    void leastAllocatedIsTheMeanFreeFractionAfterPlacement(long cpuUsed, long memUsed, long cpu, long mem,
                                                          double expected) {
        NodeSnapshot n = node4000x8192(cpuUsed, memUsed, 0);
        // Requests must be positive: a zero column means "a negligible request" of 1.
        PlacementRequest r = request(spec("web", Math.max(cpu, 1), Math.max(mem, 1)), 1);
        assertThat(new LeastAllocatedScore().score(r, n, cluster(n))).isCloseTo(expected, within(0.001));
    }

    @ParameterizedTest(name = "capacity {0}, used {1} -> {2}")
    @CsvSource({"100, 25, 0.75", "100, 0, 1.0", "100, 150, 0.0", "0, 0, 0.0", "100, -50, 1.0"})
    void freeFractionIsClampedToZeroAndOne(long capacity, long used, double expected) {
        assertThat(LeastAllocatedScore.freeFraction(capacity, used)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} replicas on the node -> {1}")
    @CsvSource({"0, 1.0", "1, 0.5", "2, 0.3333333333333333", "3, 0.25"})
    void spreadPrefersNodesWithFewerReplicasOfTheWorkload(int replicas, double expected) {
        NodeSnapshot n = snapshotOf(node("n1", 4000, 8192, "eu", NodeState.ALIVE), Resources.ZERO,
                Map.of("web", replicas, "other", 7));
        assertThat(new SpreadScore().score(request(spec("web", 100, 64), 1), n, cluster(n))).isEqualTo(expected);
    }
}
