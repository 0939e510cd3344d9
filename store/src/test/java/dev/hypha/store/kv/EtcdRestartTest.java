package dev.hypha.store.kv;

import static dev.hypha.store.kv.KvStoreContractTest.bytes;
import static dev.hypha.store.kv.KvStoreContractTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.spi.KvStore.KeyValue;
import dev.hypha.spi.KvStore.StoreUnavailableException;
import dev.hypha.spi.KvStore.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** etcd going away and coming back on the same data loses no acknowledged write, and the client carries on. */
class EtcdRestartTest {
    @Test
    void restartsLoseNoAcknowledgedWriteAndTheClientAndItsWatchCarryOn() {
        try (EtcdTestServer etcd = EtcdTestServer.start();
                EtcdKvStore store = EtcdKvStore.connect(etcd.url(), Duration.ofSeconds(5))) {
            Map<String, Long> acknowledged = new LinkedHashMap<>();
            for (int i = 0; i < 30; i++) {
                acknowledged.put("/restart/before/" + i, store.put("/restart/before/" + i, bytes("v" + i)));
            }
            EventRecorder recorder = new EventRecorder();
            AtomicReference<RuntimeException> cancelled = new AtomicReference<>();
            List<String> expectedEvents = new ArrayList<>();
            try (Watch ignored = store.watch("/restart/after/", store.revision(), recorder, cancelled::set)) {
                for (String how : List.of("graceful", "crash")) {
                    long pid = etcd.pid();
                    if (how.equals("graceful")) {
                        etcd.restart();
                    } else {
                        etcd.crashAndRestart();
                    }
                    assertThat(etcd.pid()).isNotEqualTo(pid);

                    // The first write may wait for the client to reconnect; the rest follow at once,
                    // likely before the watch has resumed, so it must replay them from its revision.
                    String first = "/restart/after/" + how + "/0";
                    long firstRevision = eventually().ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                            .until(() -> store.put(first, bytes(how)), revision -> revision > 0);
                    acknowledged.put(first, firstRevision);
                    expectedEvents.add("PUT " + first + "=" + how + "@" + firstRevision);
                    for (int i = 1; i < 10; i++) {
                        String key = "/restart/after/" + how + "/" + i;
                        long revision = store.put(key, bytes(how));
                        acknowledged.put(key, revision);
                        expectedEvents.add("PUT " + key + "=" + how + "@" + revision);
                    }
                }
                eventually().untilAsserted(() -> assertThat(recorder.summary()).containsExactlyElementsOf(expectedEvents));
                assertThat(cancelled.get()).isNull();
            }
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                assertThat(store.get(ack.getKey())).as(ack.getKey()).get()
                        .extracting(KeyValue::modRevision).isEqualTo(ack.getValue());
            }
        }
    }
}
