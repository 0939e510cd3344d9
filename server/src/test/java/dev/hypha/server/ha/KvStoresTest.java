package dev.hypha.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.server.HyphaServer;
import dev.hypha.server.KvStores;
import dev.hypha.server.ServerConfig;
import dev.hypha.spi.KvStore;
import dev.hypha.store.kv.SqliteKvStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --store} names a backend; an etcd that cannot be reached fails the start, saying what to check. */
class KvStoresTest {
    @TempDir
    Path dir;

    @Test
    void sqliteIsAFileInTheDataDir() {
        try (KvStore kv = KvStores.open("sqlite", dir)) {
            assertThat(kv).isInstanceOf(SqliteKvStore.class);
            assertThat(Files.exists(dir.resolve("state.db"))).isTrue();
        }
    }

    @Test
    void anUnknownStoreOrAMalformedEtcdUrlIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> KvStores.open("postgres://db", dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use sqlite or etcd://");
        assertThatThrownBy(() -> KvStores.open("etcd://no-port", dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("etcd://host:port");
    }

    @Test
    void aServerWhoseEtcdCannotBeReachedFailsToStartSayingWhatToCheck() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "etcd://127.0.0.1:" + closedPort;
        assertThatThrownBy(() -> HyphaServer.start(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, 0, url, null,
                List.of(), "simple")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach etcd at " + url)
                .hasMessageContaining("start etcd first");
        assertThat(Files.exists(dir.resolve("server/admin.token"))).as("nothing was started").isFalse();
    }
}
