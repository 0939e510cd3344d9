package dev.hypha.store.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Prefix ranges: the byte range [prefix, prefixEnd) holds exactly the keys that start with the prefix. */
class KeySpaceTest {
    @Test
    void prefixEndIncrementsTheLastByteThatCanBeIncremented() {
        assertThat(KeySpace.prefixEnd("/a/".getBytes(UTF_8))).get().isEqualTo("/a0".getBytes(UTF_8));
        assertThat(KeySpace.prefixEnd(new byte[] {'a', (byte) 0xFF, (byte) 0xFF})).get().isEqualTo(new byte[] {'b'});
        assertThat(KeySpace.prefixEnd(new byte[] {(byte) 0xFF})).isEmpty();
        assertThat(KeySpace.prefixEnd(new byte[0])).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aKeyIsInThePrefixRangeExactlyWhenItStartsWithThePrefix(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        byte[] alphabet = {0, 1, 'a', 'b', 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
        for (int trial = 0; trial < 2_000; trial++) {
            byte[] prefix = randomBytes(random, alphabet, random.nextInt(4));
            byte[] key = random.nextBoolean()
                    ? concat(prefix, randomBytes(random, alphabet, random.nextInt(3)))
                    : randomBytes(random, alphabet, 1 + random.nextInt(5));
            Optional<byte[]> end = KeySpace.prefixEnd(prefix);
            boolean inRange = Arrays.compareUnsigned(key, prefix) >= 0
                    && end.map(e -> Arrays.compareUnsigned(key, e) < 0).orElse(true);
            assertThat(inRange).as("seed %d: key %s prefix %s", seed, Arrays.toString(key), Arrays.toString(prefix))
                    .isEqualTo(KeySpace.hasPrefix(key, prefix));
        }
    }

    static Stream<Long> seeds() {
        return LongStream.of(1, 99, 20_240_601).boxed();
    }

    private static byte[] randomBytes(RandomGenerator random, byte[] alphabet, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
