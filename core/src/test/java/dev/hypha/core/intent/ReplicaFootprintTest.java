package dev.hypha.core.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Node;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaFootprintTest {

    @ParameterizedTest(name = "{0}m/{1}Mi on {2}m/{3}Mi at {4}/h, {5} g/kWh, {6}-{7} W")
    @CsvSource({
            // cpu, mem, node cpu, node mem, cost, carbon, idle, max -> share, cost/h, watts, g CO2/h
            // cpu-bound: share 1/8 of cpu; 40/8 + 140/8 = 22.5 W; 22.5 × 250 / 1000 = 5.625 g
            "500, 512, 4000, 8192, 0.12, 250, 40, 180, 0.125, 0.015, 22.5, 5.625",
            // memory-bound: share 1/4 from memory, cpu 1/16: 40/4 + 140/16 = 18.75 W
            "250, 2048, 4000, 8192, 0.12, 250, 40, 180, 0.25, 0.03, 18.75, 4.6875",
            // a free node costs nothing; a carbon-free grid emits nothing
            "1000, 1024, 2000, 2048, 0, 0, 40, 180, 0.5, 0, 90, 0",
            // a whole node: its full price and full power
            "2000, 2048, 2000, 2048, 0.5, 400, 50, 250, 1, 0.5, 250, 100",
            // a node that draws nothing at idle is charged for cpu only
            "500, 4096, 1000, 8192, 1, 100, 0, 200, 0.5, 0.5, 100, 10"})
    void pricesAReplicaByItsShareOfTheNode(long cpu, long mem, long nodeCpu, long nodeMem, double cost, double carbon,
                                           double idle, double max, double share, double costPerHour, double watts,
                                           double co2) {
        Node node = new Node("n1", null, null, "eu-west", new Resources(nodeCpu, nodeMem, 0), cost, carbon,
                new PowerProfile(idle, max), null, null, null, null);
        ReplicaFootprint f = ReplicaFootprint.of(node, new Resources(cpu, mem, 0));
        assertThat(f.share()).isEqualTo(share);
        assertThat(f.costPerHour()).isEqualTo(costPerHour);
        assertThat(f.watts()).isEqualTo(watts);
        assertThat(f.co2GramsPerHour()).isEqualTo(co2);
    }

    @org.junit.jupiter.api.Test
    void refusesANodeWithoutCpu() {
        Node node = new Node("n1", null, null, null, new Resources(0, 1024, 0), 0.1, 100, null, null, null, null, null);
        assertThatThrownBy(() -> ReplicaFootprint.of(node, new Resources(100, 64, 0)))
                .hasMessage("node n1 has no cpu or no memory capacity: no replica can have a share of it");
    }
}
