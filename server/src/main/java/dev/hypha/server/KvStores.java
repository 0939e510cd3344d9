package dev.hypha.server;

import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.EtcdKvStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.nio.file.Path;

/**
 * Opens the state store named by {@code --store}: "sqlite" (a file in the data dir) or an etcd URL.
 *
 * <p>An etcd store is checked before it is handed out: the etcd client connects lazily, so without
 * the check a wrong URL or a stopped etcd would surface later, as a time-out of whichever read
 * start-up happened to make first, and the half-opened client would be left behind.
 */
public final class KvStores {
    private KvStores() {}

    public static KvStore open(String store, Path dataDir) {
        String name = store == null ? "" : store.strip();
        if (name.equals("sqlite")) return new SqliteKvStore(dataDir.resolve("state.db"));
        if (name.startsWith("etcd://")) return openEtcd(name);
        throw new IllegalArgumentException("unknown --store '" + store + "': use sqlite or etcd://HOST:PORT[,HOST:PORT…]");
    }

    private static KvStore openEtcd(String url) {
        EtcdKvStore etcd = EtcdKvStore.connect(url);
        try {
            etcd.revision();
            return etcd;
        } catch (RuntimeException e) {
            etcd.close();
            throw new IllegalStateException("cannot reach etcd at " + url + " (--store): " + e.getMessage()
                    + "; start etcd first, or check the host and port", e);
        }
    }
}
