package dev.hypha.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written ISO instant form against {@link DateTimeFormatter#ISO_INSTANT}: the same text
 * for random instants of every year, with every precision of fraction; the same instant back;
 * and anything outside the plain form left to the general parser, through the JSON mapper too.
 */
class IsoInstantTest {
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 20).boxed();
    }

    /** A random instant: seconds anywhere from year 0 to 9999 (or just past either end), nanos of every precision. */
    private static Instant randomInstant(RandomGenerator random) {
        long secs = switch (random.nextInt(4)) {
            case 0 -> random.nextLong(YEAR_0 - 1_000_000, YEAR_0 + 1_000_000);
            case 1 -> random.nextLong(YEAR_10000 - 1_000_000, YEAR_10000 + 1_000_000);
            default -> random.nextLong(YEAR_0, YEAR_10000);
        };
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(secs, nanos);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void writesWhatIsoInstantWritesAndReadsItBack(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int k = 0; k < 2_000; k++) {
            Instant t = randomInstant(random);
            String expected = DateTimeFormatter.ISO_INSTANT.format(t);
            assertThat(IsoInstant.format(t)).as("seed %d: %s", seed, expected).isEqualTo(expected);
            Instant back = IsoInstant.parse(expected);
            if (back != null) assertThat(back).as("seed %d: %s", seed, expected).isEqualTo(t);
            assertThat(Json.read(Json.bytes(new Holder(t)), Holder.class).at()).as("seed %d", seed).isEqualTo(t);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsEveryFractionLengthAsTheGeneralParserDoes(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int k = 0; k < 2_000; k++) {
            String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(random.nextLong(0, YEAR_10000)));
            int digits = random.nextInt(10);
            StringBuilder text = new StringBuilder(whole.substring(0, whole.length() - 1));
            if (digits > 0) {
                text.append('.');
                for (int d = 0; d < digits; d++) text.append((char) ('0' + random.nextInt(10)));
            }
            String plain = text.append('Z').toString();
            assertThat(IsoInstant.parse(plain)).as("seed %d: %s", seed, plain).isEqualTo(Instant.parse(plain));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-30T12:00:00Z", "2025-06-01T24:00:00Z", "2025-06-01T23:59:60Z", "2025-06-01t12:00:00Z",
            "2025-06-01T12:00:00z", "2025-06-01T12:00:00.Z", "2025-06-01T12:00:00+01:00", "2025-06-01 12:00:00Z",
            "+12025-06-01T12:00:00Z", "2025-06-01T12:00Z", "2025-6-01T12:00:00Z", "2025-06-01T12:00:00.1234567890Z"})
    void leavesWhatIsNotThePlainFormToTheGeneralParser(String text) {
        assertThat(IsoInstant.parse(text)).isNull();
    }

    @Test
    void theMapperStillReadsWhatOnlyTheGeneralParserReads() throws Exception {
        Holder offset = Json.mapper().readValue("{\"at\":\"2025-06-01T13:00:00+01:00\"}", Holder.class);
        Holder leap = Json.mapper().readValue("{\"at\":\"2025-06-01T23:59:60Z\"}", Holder.class);
        Holder farFuture = Json.mapper().readValue("{\"at\":\"+12025-06-01T12:00:00Z\"}", Holder.class);

        assertThat(offset.at()).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
        assertThat(leap.at()).isEqualTo(Instant.parse("2025-06-01T23:59:59Z"));
        assertThat(farFuture.at()).isEqualTo(Instant.parse("+12025-06-01T12:00:00Z"));
        assertThat(Json.string(new Holder(null))).isEqualTo("{\"at\":null}");
        assertThat(Json.mapper().readValue("{\"at\":null}", Holder.class).at()).isNull();
    }

    @Test
    void yamlWritesInstantsAsBefore() throws Exception {
        String yaml = Json.yaml().writeValueAsString(new Holder(Instant.parse("2025-06-01T12:00:00.250Z")));
        assertThat(yaml.strip()).isEqualTo("at: 2025-06-01T12:00:00.250Z");
        assertThat(List.of(Json.yaml().readValue(yaml, Holder.class).at())).containsExactly(
                Instant.parse("2025-06-01T12:00:00.250Z"));
    }

    record Holder(Instant at) {}
}
