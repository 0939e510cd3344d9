package dev.hypha.store.kv;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hypha.spi.KvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures put throughput of both backends in one run: SQLite (WAL, synchronous=FULL) and a real
 * local etcd, each with one writer and with four concurrent writers. It prints numbers and asserts
 * nothing: it is a measurement, not a test.
 *
 * <p>Values are ~300-byte JSON documents, the size of one typed-state record (an instance or a
 * node). Every put is durable before it returns on both backends (SQLite syncs its WAL, etcd its
 * raft log), so the numbers are mostly the disk's sync rate and each backend's ability to share
 * one sync among concurrent writers.
 *
 * <p>Run: {@code mvn -B -q -pl store -am process-test-classes -Pthroughput [-Dthroughput.puts=2000]}
 */
public final class KvWriteThroughput {
    private static final int WARM_UP_PUTS = 1000;
    private static final int CONCURRENT_WRITERS = 4;

    private KvWriteThroughput() {}

    public static void main(String[] args) throws Exception {
        int puts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.printf(Locale.ROOT, "KvStore put throughput, %d puts of ~%d-byte JSON per measurement%n",
                puts, value(0, 0).length);
        System.out.printf(Locale.ROOT, "%-8s %-22s %12s %14s%n", "backend", "writers", "puts/s", "mean latency");

        Path dir = Files.createTempDirectory("hypha-kv-throughput-");
        try {
            try (SqliteKvStore sqlite = new SqliteKvStore(dir.resolve("state.db"))) {
                measure("sqlite", sqlite, puts);
            }
            try (EtcdTestServer etcd = EtcdTestServer.start(); EtcdKvStore store = EtcdKvStore.connect(etcd.url())) {
                measure("etcd", store, puts);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void measure(String backend, KvStore store, int puts) throws Exception {
        writeSequentially(store, "warmup", WARM_UP_PUTS);

        long start = System.nanoTime();
        writeSequentially(store, "seq", puts);
        report(backend, "1 (sequential)", puts, System.nanoTime() - start, 1);

        start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_WRITERS);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < CONCURRENT_WRITERS; writer++) {
                String name = "w" + writer;
                writers.add(pool.submit(() -> writeSequentially(store, name, puts / CONCURRENT_WRITERS)));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int written = puts / CONCURRENT_WRITERS * CONCURRENT_WRITERS;
        report(backend, CONCURRENT_WRITERS + " (concurrent)", written, System.nanoTime() - start, CONCURRENT_WRITERS);
    }

    private static Void writeSequentially(KvStore store, String writer, int count) {
        for (int i = 0; i < count; i++) {
            store.put("/hypha/instances/web-" + writer + "-" + (i % 500), value(i, writer.hashCode()));
        }
        return null;
    }

    private static void report(String backend, String writers, int puts, long nanos, int concurrency) {
        double seconds = nanos / 1e9;
        double perSecond = puts / seconds;
        double meanLatencyMillis = seconds * 1000 * concurrency / puts;
        System.out.printf(Locale.ROOT, "%-8s %-22s %12.0f %11.2f ms%n", backend, writers, perSecond, meanLatencyMillis);
    }

    /** A typed-state-sized JSON document (~300 bytes), different for every put. */
    private static byte[] value(int i, int writer) {
        return ("{\"workload\":\"web\",\"instance\":\"web-" + writer + "-" + i + "\",\"node\":\"node-" + (i % 17)
                + "\",\"state\":\"RUNNING\",\"desiredRevision\":" + (1000 + i)
                + ",\"resources\":{\"cpuMillis\":250,\"memoryBytes\":134217728,\"diskBytes\":1073741824},"
                + "\"startedAt\":\"2030-01-01T00:00:00Z\",\"restarts\":0,\"containerId\":\"hypha-web-" + i
                + "\",\"image\":\"registry.local/web@sha256:0123456789abcdef0123456789abcdef\"}").getBytes(UTF_8);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
