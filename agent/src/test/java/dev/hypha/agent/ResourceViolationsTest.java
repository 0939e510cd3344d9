package dev.hypha.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a memory sample counts as a resource violation, and how violations add up. */
class ResourceViolationsTest {
    private static final long MIB = 1024 * 1024;

    @ParameterizedTest(name = "{0} bytes of a {1} MiB request -> {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            // Below 95 %: fine.
            "0         | 64 | none",
            "33554432  | 64 | none",
            "63753420  | 64 | none",
            // 95 % exactly (63753421.6 bytes rounds up to the first byte at or over it) and above.
            "63753422  | 64 | memory use 60.8 MiB is 95% of the 64 MiB requested",
            "66060288  | 64 | memory use 63.0 MiB is 98% of the 64 MiB requested",
            "67108864  | 64 | memory use 64.0 MiB is 100% of the 64 MiB requested",
            "134217728 | 64 | memory use 128.0 MiB is 200% of the 64 MiB requested",
            "7864320   | 8  | none",
            "8178893   | 8  | memory use 7.8 MiB is 97% of the 8 MiB requested",
            // No request, no violation.
            "67108864  | 0  | none",
    })
    void aSampleAtOrAboveNinetyFivePercentOfTheRequestIsAViolation(long usageBytes, long requestMb, String expected) {
        assertThat(ResourceViolations.memorySample(usageBytes, requestMb)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void theBoundaryIsNinetyFivePercentOfTheRequestInBytes() {
        for (long requestMb : new long[] {1, 16, 64, 1000, 4096, 1L << 20}) {
            long requestBytes = requestMb * MIB;
            long firstViolating = (requestBytes * 95 + 99) / 100;
            assertThat(ResourceViolations.memorySample(firstViolating - 1, requestMb)).as("%d MiB", requestMb).isEmpty();
            assertThat(ResourceViolations.memorySample(firstViolating, requestMb)).as("%d MiB", requestMb).isPresent();
        }
    }

    @Test
    void violationsCountUpAndKeepTheLatestText() {
        ResourceViolations v = ResourceViolations.NONE.plus("memory use 60.8 MiB is 95% of the 64 MiB requested")
                .plus(ResourceViolations.oomKill(64));
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.last()).isEqualTo("OOM killed: memory use reached the container's limit (64 MiB requested)");
        assertThat(new ResourceViolations(Integer.MAX_VALUE, "x").plus("y").count()).isEqualTo(Integer.MAX_VALUE);
    }
}
