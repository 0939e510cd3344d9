package dev.hypha.server;

import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.EtcdKvStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.nio.file.Path;

/** Opens the state store named by {@code --store}: "sqlite" (a file in the data dir) or an etcd URL. */
public final class KvStores {
    private KvStores() {}

    public static KvStore open(String store, Path dataDir) {
        if (store.equals("sqlite")) return new SqliteKvStore(dataDir.resolve("state.db"));
        if (store.startsWith("etcd://")) return EtcdKvStore.connect(store);
        throw new IllegalArgumentException("unknown --store '" + store + "': use sqlite or etcd://HOST:PORT[,HOST:PORT…]");
    }
}
