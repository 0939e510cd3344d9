package dev.hypha.server.ha;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.server.ChangeNotifier;
import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.EtcdKvStore;
import dev.hypha.store.kv.EtcdTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches through a link to a real etcd that the test cuts while etcd goes on taking writes from
 * elsewhere: after the link is back, a watch carries on from the last revision it saw (every
 * missed event, once, in order), and when the history it needs was compacted meanwhile, the
 * {@link ChangeNotifier} re-reads the current revision, watches again from there, and wakes its
 * waiters instead of going silent.
 */
class EtcdWatchResumeTest {
    private static final Duration RECONNECT = Duration.ofSeconds(30);

    EtcdTestServer etcd;
    TcpProxy link;
    EtcdKvStore server;
    EtcdKvStore elsewhere;
    ChangeNotifier notifier;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdTestServer.start();
        link = TcpProxy.start(TcpProxy.portOf(etcd.url()));
        server = EtcdKvStore.connect(link.etcdUrl(), Duration.ofSeconds(5));
        elsewhere = EtcdKvStore.connect(etcd.url(), Duration.ofSeconds(5));
        notifier = new ChangeNotifier(server, "/hypha/");
    }

    @AfterEach
    void stop() {
        Closer.closeAll(notifier, server, elsewhere, link, etcd);
    }

    /** Keeps what a raw watch reports, as "PUT key@revision". */
    private static final class Recorder {
        private final List<String> events = new ArrayList<>();

        synchronized void accept(KvStore.WatchEvent e) {
            events.add(e.type() + " " + e.kv().key() + "@" + e.revision());
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }
    }

    @Test
    void afterTheLinkIsBackWatchesResumeFromTheLastRevisionTheySaw() {
        Recorder recorder = new Recorder();
        AtomicReference<RuntimeException> cancelled = new AtomicReference<>();
        List<String> expected = new ArrayList<>();
        try (KvStore.Watch ignored = server.watch("/hypha/", server.revision(), recorder::accept, cancelled::set)) {
            long first = elsewhere.put("/hypha/workloads/web", "{}".getBytes(UTF_8));
            expected.add("PUT /hypha/workloads/web@" + first);
            await().atMost(RECONNECT).until(() -> notifier.revision() == first);

            link.cut();
            long last = 0;
            for (int i = 0; i < 5; i++) {
                last = elsewhere.put("/hypha/instances/web-" + i, "{}".getBytes(UTF_8));
                expected.add("PUT /hypha/instances/web-" + i + "@" + last);
            }
            assertThat(notifier.revision()).as("cut off: nothing arrives").isEqualTo(first);
            link.restore();

            long lastWhileCut = last;
            await().atMost(RECONNECT).until(() -> notifier.revision() == lastWhileCut);
            await().atMost(RECONNECT).until(() -> recorder.events().size() >= expected.size());
            assertThat(recorder.events()).as("every missed event once, in order").containsExactlyElementsOf(expected);
            assertThat(cancelled.get()).isNull();
            assertThat(notifier.rewatches()).as("resumed, not re-opened").isZero();
        }
    }

    @Test
    void aCompactionWhileCutOffMakesTheNotifierWatchAgainFromTheCurrentRevision() {
        AtomicReference<RuntimeException> cancelled = new AtomicReference<>();
        long start = server.revision();
        try (KvStore.Watch ignored = server.watch("/hypha/", start, e -> { }, cancelled::set)) {
            long first = elsewhere.put("/hypha/workloads/web", "{}".getBytes(UTF_8));
            await().atMost(RECONNECT).until(() -> notifier.revision() == first);
            CompletableFuture<Long> waiter = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    waiter.complete(notifier.awaitAfter(Long.MAX_VALUE - 1, Duration.ofMinutes(2)));
                } catch (InterruptedException e) {
                    waiter.completeExceptionally(e);
                }
            });

            link.cut();
            long last = 0;
            for (int i = 0; i < 5; i++) last = elsewhere.put("/hypha/instances/web-" + i, "{}".getBytes(UTF_8));
            elsewhere.compact(last);
            link.restore();

            // The store ends both watches; the notifier alone carries on, from at least the compaction point.
            await().atMost(RECONNECT).until(() -> cancelled.get() != null && notifier.rewatches() == 1);
            assertThat(cancelled.get()).isInstanceOf(KvStore.CompactedException.class);
            assertThat(notifier.revision()).isGreaterThanOrEqualTo(last);
            await("a waiter is woken to re-read").atMost(Duration.ofSeconds(10)).until(waiter::isDone);

            long after = elsewhere.put("/hypha/workloads/api", "{}".getBytes(UTF_8));
            await("the new watch is live").atMost(RECONNECT).until(() -> notifier.revision() == after);
        }
    }
}
