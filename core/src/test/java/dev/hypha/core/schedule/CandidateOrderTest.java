package dev.hypha.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CandidateOrderTest {

    private static List<Integer> take(CandidateOrder order, int k) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < k && order.hasNext(); i++) out.add(order.next());
        return out;
    }

    @ParameterizedTest(name = "n={0}, seed={1}")
    @CsvSource({"1, 0", "2, 5", "10, 1", "1000, 99", "10000, -7"})
    void itVisitsEveryIndexExactlyOnce(int n, long seed) {
        List<Integer> all = take(new CandidateOrder().reset(n, seed), n + 5);
        assertThat(all).hasSize(n);
        assertThat(all.stream().sorted().toList()).isEqualTo(IntStream.range(0, n).boxed().toList());
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"50", "10000"})
    void theSameSeedGivesTheSameOrderAcrossResets(int n) {
        CandidateOrder reused = new CandidateOrder();
        List<Integer> first = take(reused.reset(n, 123), n);
        take(reused.reset(n * 2, 9), 17); // a different, partial use in between
        assertThat(take(reused.reset(n, 123), n)).isEqualTo(first);
        assertThat(take(new CandidateOrder().reset(n, 123), n)).isEqualTo(first);
        assertThat(take(new CandidateOrder().reset(n, 124), n)).isNotEqualTo(first);
    }

    @Test
    void blocksOfConsecutiveIndexesComeInShuffledOrder() {
        int n = 10_000;
        List<Integer> prefix = take(new CandidateOrder().reset(n, 1), 504);
        List<Integer> blockStarts = new ArrayList<>();
        for (int i = 0; i < prefix.size(); i += CandidateOrder.BLOCK) {
            int start = prefix.get(i);
            assertThat(start % CandidateOrder.BLOCK).as("a block starts on a block boundary").isZero();
            for (int k = 1; k < CandidateOrder.BLOCK; k++) {
                assertThat(prefix.get(i + k)).as("within a block the indexes are consecutive").isEqualTo(start + k);
            }
            blockStarts.add(start);
        }
        // 63 blocks drawn uniformly from 1,250: spread over the whole range, in no particular order.
        double mean = blockStarts.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(mean).isBetween(3500.0, 6500.0);
        assertThat(blockStarts).isNotEqualTo(blockStarts.stream().sorted().toList());
        assertThat(blockStarts).doesNotHaveDuplicates();
    }

    @Test
    void aPartialLastBlockIsVisitedWithoutRunningPastTheEnd() {
        List<Integer> all = take(new CandidateOrder().reset(13, 3), 13);
        assertThat(all).hasSize(13).allSatisfy(i -> assertThat(i).isBetween(0, 12));
        assertThat(all.stream().sorted().toList()).isEqualTo(IntStream.range(0, 13).boxed().toList());
    }
}
