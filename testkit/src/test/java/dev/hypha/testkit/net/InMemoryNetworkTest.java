package dev.hypha.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {
    private FakeClock clock;
    private InMemoryNetwork net;

    @BeforeEach
    void setUp() {
        clock = new FakeClock(Instant.EPOCH);
        net = new InMemoryNetwork(clock, new SplittableRandom(1));
        for (String a : List.of("a", "b", "c")) net.attach(a);
        net.setDelay(Duration.ofMillis(5), Duration.ofMillis(5));
    }

    @Test
    void deliveriesArriveAfterTheirDelayInSendOrder() {
        net.send("a", "b", "one", 10, false);
        net.send("a", "c", "two", 10, false);
        net.delay("a", "b", Duration.ofMillis(20));
        net.send("a", "b", "three", 10, false);
        assertThat(net.poll(4)).isNull();
        assertThat(payloads(drain(5))).containsExactly("one", "two");
        assertThat(payloads(drain(20))).containsExactly("three");
        assertThat(net.stats().bytesSent()).isEqualTo(30);
    }

    @Test
    void perLinkLossDropsAboutThatShareOfDatagramsOneWayOnly() {
        net.drop("a", "b", 0.25);
        for (int i = 0; i < 10_000; i++) {
            net.send("a", "b", i, 1, false);
            net.send("b", "a", i, 1, false);
        }
        List<InMemoryNetwork.Delivery> all = drain(1000);
        long ab = all.stream().filter(d -> d.envelope().to().equals("b")).count();
        long ba = all.stream().filter(d -> d.envelope().to().equals("a")).count();
        assertThat(ab).isBetween(7_300L, 7_700L);
        assertThat(ba).isEqualTo(10_000);
    }

    @Test
    void aCutStopsBothDirectionsUntilHealedAndStreamsBounce() {
        net.cut("a", "b");
        net.send("a", "b", "lost", 1, false);
        net.send("b", "a", "lost too", 1, false);
        net.send("a", "b", "stream", 1, true);
        net.send("a", "c", "fine", 1, false);
        List<InMemoryNetwork.Delivery> first = drain(10);
        assertThat(first).extracting(d -> d.envelope().payload()).containsExactly("stream", "fine");
        assertThat(first.get(0).bounced()).isTrue();
        net.heal();
        net.send("a", "b", "after", 1, false);
        assertThat(payloads(drain(20))).containsExactly("after");
    }

    @Test
    void anIsolatedAddressReachesNobodyAndNobodyReachesIt() {
        net.isolate("c");
        net.send("c", "a", 1, 1, false);
        net.send("b", "c", 2, 1, false);
        net.send("a", "b", 3, 1, false);
        assertThat(payloads(drain(10))).containsExactly(3);
    }

    @Test
    void aDetachedAddressReceivesNothingAndStreamsToItBounce() {
        net.send("a", "b", "in flight", 1, false);
        net.send("a", "b", "stream", 1, true);
        net.detach("b");
        List<InMemoryNetwork.Delivery> out = drain(10);
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.bounced()).isTrue();
            assertThat(d.envelope().payload()).isEqualTo("stream");
        });
    }

    @Test
    void theSameSeedLosesTheSameDatagrams() {
        assertThat(lossPattern(7)).isEqualTo(lossPattern(7)).isNotEqualTo(lossPattern(8));
    }

    private List<Object> lossPattern(long seed) {
        InMemoryNetwork n = new InMemoryNetwork(new FakeClock(Instant.EPOCH), new SplittableRandom(seed));
        n.attach("a");
        n.attach("b");
        n.setLoss(0.5);
        for (int i = 0; i < 100; i++) n.send("a", "b", i, 1, false);
        List<Object> got = new ArrayList<>();
        for (InMemoryNetwork.Delivery d; (d = n.poll(Long.MAX_VALUE)) != null; ) got.add(d.envelope().payload());
        return got;
    }

    private List<InMemoryNetwork.Delivery> drain(long untilMillis) {
        clock.set(Instant.ofEpochMilli(Math.max(clock.millis(), untilMillis)));
        List<InMemoryNetwork.Delivery> out = new ArrayList<>();
        for (InMemoryNetwork.Delivery d; (d = net.poll(untilMillis)) != null; ) out.add(d);
        return out;
    }

    private static List<Object> payloads(List<InMemoryNetwork.Delivery> deliveries) {
        return deliveries.stream().map(d -> d.envelope().payload()).toList();
    }
}
