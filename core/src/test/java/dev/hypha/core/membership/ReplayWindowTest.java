package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReplayWindowTest {

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyNumberInAShuffledBurstIsFirstSeenExactlyOnce(long seed) {
        List<Long> burst = new ArrayList<>();
        for (long s = 1; s <= ReplayWindow.SIZE; s++) {
            burst.add(s);
            burst.add(s); // every message arrives twice
        }
        Collections.shuffle(burst, new Random(seed));
        ReplayWindow window = new ReplayWindow();
        long firsts = burst.stream().filter(window::firstSighting).count();
        assertThat(firsts).as("seed %d", seed).isEqualTo(ReplayWindow.SIZE);
    }

    @Test
    void numbersFarBehindTheNewestCountAsSeen() {
        ReplayWindow window = new ReplayWindow();
        assertThat(window.firstSighting(5000)).isTrue();
        assertThat(window.firstSighting(5000 - ReplayWindow.SIZE)).isFalse();
        assertThat(window.firstSighting(5000 - ReplayWindow.SIZE + 1)).isTrue();
    }

    @Test
    void slotsAreReusedWithoutLeakingOldSightings() {
        ReplayWindow window = new ReplayWindow();
        assertThat(window.firstSighting(3)).isTrue();
        assertThat(window.firstSighting(3 + ReplayWindow.SIZE)).isTrue(); // same slot as 3
        assertThat(window.firstSighting(3 + 2 * ReplayWindow.SIZE - 1)).isTrue();
        assertThat(window.firstSighting(3 + ReplayWindow.SIZE)).isFalse();
    }
}
