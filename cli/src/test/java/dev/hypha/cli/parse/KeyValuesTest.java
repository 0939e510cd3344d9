package dev.hypha.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyValuesTest {

    @Test
    void capacityWithEveryKey() {
        assertThat(KeyValues.capacity("cpu=4000m,memory=8Gi,disk=20Gi")).isEqualTo(new Resources(4000, 8192, 20480));
    }

    @Test
    void capacityWithoutDiskHasNoDisk() {
        assertThat(KeyValues.capacity("memory=512Mi, cpu=2")).isEqualTo(new Resources(2000, 512, 0));
    }

    @ParameterizedTest(name = "{0} fails: {1}")
    @CsvSource(delimiter = '|', value = {
            "cpu=4                     | needs both cpu and memory",
            "cpu=4,mem=1Gi             | unknown key 'mem'",
            "cpu=4,cpu=2,memory=1Gi    | gives 'cpu' twice",
            "cpu=4,memory              | is not key=value",
            "cpu=4x,memory=1Gi         | unknown unit 'x'",
            "cpu=4,memory=99999Ti      | memory_mb must be between",
    })
    void badCapacitySaysWhy(String text, String why) {
        assertThatThrownBy(() -> KeyValues.capacity(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }

    @Test
    void power() {
        assertThat(KeyValues.power("idle=40,max=180")).isEqualTo(new PowerProfile(40, 180));
        assertThat(KeyValues.power("max=95.5W,idle=10W")).isEqualTo(new PowerProfile(10, 95.5));
    }

    @ParameterizedTest(name = "{0} fails: {1}")
    @CsvSource(delimiter = '|', value = {
            "idle=40                | needs both idle and max",
            "idle=200,max=100       | power must satisfy 0 <= idle <= max",
            "idle=forty,max=180     | not a number of watts",
            "idle=NaN,max=180       | not a number of watts",
    })
    void badPowerSaysWhy(String text, String why) {
        assertThatThrownBy(() -> KeyValues.power(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
