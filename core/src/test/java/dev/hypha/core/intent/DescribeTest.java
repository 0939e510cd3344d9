package dev.hypha.core.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DescribeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1.0, 1.00", "12.345, 12.35", "0.1, 0.10", "0.05, 0.05", "0.015, 0.015", "0.0075, 0.0075",
            "0.123456, 0.123", "0, 0.00"})
    void writesMoney(double value, String text) {
        assertThat(Describe.money(value)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"250, 250", "250.0, 250", "5.625, 5.63", "0.0113, 0.0113", "1234.5, 1235", "0, 0"})
    void writesMeasures(double value, String text) {
        assertThat(Describe.number(value)).isEqualTo(text);
    }

    @Test
    void writesResourcesAsTheCliTakesThem() {
        assertThat(Describe.resources(new Resources(500, 512, 0))).isEqualTo("500m cpu and 512Mi");
        assertThat(Describe.resources(new Resources(2000, 2048, 1024))).isEqualTo("2000m cpu and 2Gi and 1Gi disk");
        assertThat(Describe.free(new Resources(250, 8192, 20480), new Resources(500, 512, 0)))
                .isEqualTo("250m cpu and 8Gi");
    }
}
