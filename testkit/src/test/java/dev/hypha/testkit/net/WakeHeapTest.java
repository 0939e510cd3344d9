package dev.hypha.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WakeHeapTest {

    static LongStream seeds() {
        return LongStream.range(0, 50);
    }

    /** Random sets and removes agree with a plain array scanned for its minimum. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void behavesLikeAnArrayScannedForItsMinimum(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(40);
        WakeHeap heap = new WakeHeap(n);
        long[] model = new long[n];
        Arrays.fill(model, Long.MAX_VALUE);
        for (int step = 0; step < 500; step++) {
            int member = random.nextInt(n);
            if (random.nextInt(5) == 0) {
                heap.remove(member);
                model[member] = Long.MAX_VALUE;
            } else {
                long at = random.nextInt(100);
                heap.set(member, at);
                model[member] = at;
            }
            int expected = -1;
            for (int i = 0; i < n; i++) {
                if (model[i] != Long.MAX_VALUE && (expected < 0 || model[i] < model[expected])) expected = i;
            }
            assertThat(heap.minTime()).as("seed %d step %d", seed, step)
                    .isEqualTo(expected < 0 ? Long.MAX_VALUE : model[expected]);
            if (expected >= 0) assertThat(heap.minMember()).as("seed %d step %d", seed, step).isEqualTo(expected);
        }
    }
}
