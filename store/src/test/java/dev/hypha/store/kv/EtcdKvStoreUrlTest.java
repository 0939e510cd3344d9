package dev.hypha.store.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** How "etcd://host:port,host:port" becomes jetcd endpoints. */
class EtcdKvStoreUrlTest {
    @Test
    void oneOrManyEndpointsBecomeHttpUris() {
        assertThat(EtcdKvStore.endpoints("etcd://127.0.0.1:2379"))
                .containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(EtcdKvStore.endpoints("etcd://etcd-a:2379,etcd-b:2380, [::1]:2381"))
                .containsExactly(URI.create("http://etcd-a:2379"), URI.create("http://etcd-b:2380"), URI.create("http://[::1]:2381"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "etcd://", "http://127.0.0.1:2379", "etcd://host", "etcd://host:2379,", "etcd://host:2379/path",
            "etcd://user@host:2379", "etcd://host:notaport"})
    void malformedUrlsAreRejectedWithTheExpectedShape(String url) {
        assertThatThrownBy(() -> EtcdKvStore.endpoints(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etcd://host:port");
    }
}
