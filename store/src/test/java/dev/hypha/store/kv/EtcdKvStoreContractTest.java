package dev.hypha.store.kv;

import dev.hypha.spi.KvStore;
import dev.hypha.spi.KvStore.KeyValue;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract suite against a real etcd server, with leases on real time. */
class EtcdKvStoreContractTest extends KvStoreContractTest {
    private static EtcdTestServer etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdTestServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    /** A new client on the shared server, after deleting whatever the previous test left. */
    @Override
    protected KvStore newStore() {
        EtcdKvStore store = EtcdKvStore.connect(etcd.url());
        for (KeyValue kv : store.range("")) {
            store.delete(kv.key());
        }
        return store;
    }

    @Override
    protected void compact(KvStore store, long revision) {
        ((EtcdKvStore) store).compact(revision);
    }

    /** Real time passes while the caller polls. */
    @Override
    protected void letTimePass(KvStore store, Duration duration) {}

    /** Above etcd's minimum TTL here (1 s), with room for a busy machine between keep-alives. */
    @Override
    protected Duration leaseTtl() {
        return Duration.ofSeconds(2);
    }
}
