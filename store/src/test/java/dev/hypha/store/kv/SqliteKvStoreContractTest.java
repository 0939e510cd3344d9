package dev.hypha.store.kv;

import dev.hypha.spi.KvStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on a SQLite file, with lease time driven by a fake clock. */
class SqliteKvStoreContractTest extends KvStoreContractTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Override
    protected KvStore newStore() {
        return new SqliteKvStore(dir.resolve("state.db"),
                SqliteKvStore.Options.defaults().withClock(clock).withLeaseReapInterval(Duration.ZERO));
    }

    @Override
    protected void compact(KvStore store, long revision) {
        ((SqliteKvStore) store).compact(revision);
    }

    @Override
    protected void letTimePass(KvStore store, Duration duration) {
        clock.advance(duration);
        ((SqliteKvStore) store).expireLeases();
    }

    @Override
    protected Duration leaseTtl() {
        return Duration.ofSeconds(10);
    }
}
