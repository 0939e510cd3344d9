package dev.hypha.server.ha;

import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.spi.KvStore;
import dev.hypha.store.Repository;
import dev.hypha.store.StateStore;
import dev.hypha.store.kv.EtcdKvStore;
import dev.hypha.store.kv.EtcdTestServer;
import dev.hypha.store.kv.SqliteKvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures the write throughput of typed state, as the server writes it, on SQLite and on a real
 * local etcd in the same run: {@link Repository#put} and {@link Repository#modify} of
 * {@link Workload} records, plain and fenced (guarded by a leader-key compare, as the leader's
 * controller writes), with one writer and with four concurrent writers on separate records.
 * It prints numbers and asserts nothing: it is a measurement, not a test.
 *
 * <p>A put is one store write (a transaction when fenced); a modify is a read and a
 * compare-and-swap write. Every write is durable before it returns on both backends, so the
 * numbers are mostly each backend's sync rate and how well it shares a sync among writers.
 *
 * <p>Run: {@code mvn -B -q -o -pl server -am process-test-classes -Ptyped-throughput [-Dtyped.writes=1000]}
 */
public final class TypedWriteThroughput {
    private static final int WRITERS = 4;
    private static final int RECORDS_PER_WRITER = 50;
    private static final String LEADER_KEY = "/hypha/leader";

    private TypedWriteThroughput() {}

    /** One kind of write, done {@code count} times by one writer on its own records. */
    private interface Writes {
        void run(StateStore store, String writer, int count);
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf(Locale.ROOT, "Typed write throughput: %d writes of a %d-byte Workload per measurement%n",
                writes, Json.bytes(workload("web-w0-0", 1)).length);
        System.out.printf(Locale.ROOT, "%-7s %-30s %-15s %12s %14s%n", "backend", "operation", "writers", "writes/s",
                "mean latency");
        Path dir = Files.createTempDirectory("hypha-typed-throughput-");
        try {
            try (SqliteKvStore sqlite = new SqliteKvStore(dir.resolve("state.db"))) {
                measureAll("sqlite", sqlite, writes);
            }
            try (EtcdTestServer etcd = EtcdTestServer.start(); EtcdKvStore store = EtcdKvStore.connect(etcd.url())) {
                measureAll("etcd", store, writes);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void measureAll(String backend, KvStore kv, int writes) throws Exception {
        StateStore plain = new StateStore(kv);
        long lease = kv.grantLease(java.time.Duration.ofMinutes(5));
        long wonAt = kv.put(LEADER_KEY, "bench".getBytes(java.nio.charset.StandardCharsets.UTF_8), lease);
        StateStore fenced = plain.guardedBy(new KvStore.Compare.ModRevision(LEADER_KEY, wonAt));

        Writes put = (store, writer, count) -> {
            for (int i = 0; i < count; i++) {
                String id = writer + "-" + (i % RECORDS_PER_WRITER);
                if (!store.workloads().put(id, workload(id, 1 + i % 7))) throw new IllegalStateException("put refused");
            }
        };
        Writes modify = (store, writer, count) -> {
            for (int i = 0; i < count; i++) {
                int replicas = 1 + i % 7;
                store.workloads().modify(writer + "-" + (i % RECORDS_PER_WRITER),
                        w -> w.update(w.spec().withReplicas(w.replicas() == replicas ? replicas + 1 : replicas)));
            }
        };

        // Warm up the JIT, the connection and the records that modify needs.
        run(plain, put, "warmup", writes, 1);
        for (int w = 0; w < WRITERS; w++) put.run(plain, "w" + w, RECORDS_PER_WRITER);
        put.run(plain, "seq", RECORDS_PER_WRITER);

        for (var op : List.of(Map.entry("put", put), Map.entry("modify (read + CAS)", modify))) {
            for (var view : List.of(Map.entry("", plain), Map.entry(", fenced", fenced))) {
                String operation = op.getKey() + view.getKey();
                report(backend, operation, "1 (sequential)", writes, run(view.getValue(), op.getValue(), "seq", writes, 1), 1);
                int each = writes / WRITERS;
                report(backend, operation, WRITERS + " (concurrent)", each * WRITERS,
                        run(view.getValue(), op.getValue(), "w", each, WRITERS), WRITERS);
            }
        }
        kv.revokeLease(lease);
    }

    /** Runs {@code writers} writers of {@code count} writes each; returns the elapsed nanoseconds. */
    private static long run(StateStore store, Writes writes, String name, int count, int writers) throws Exception {
        long start = System.nanoTime();
        if (writers == 1) {
            writes.run(store, name, count);
            return System.nanoTime() - start;
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = name + w;
                running.add(pool.submit(() -> writes.run(store, writer, count)));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdownNow();
        }
        return System.nanoTime() - start;
    }

    private static void report(String backend, String operation, String writers, int writes, long nanos, int concurrency) {
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "%-7s %-30s %-15s %12.0f %11.2f ms%n", backend, operation, writers,
                writes / seconds, seconds * 1000 * concurrency / writes);
    }

    /** A complete, realistic workload record (~400 bytes of JSON). */
    private static Workload workload(String name, int replicas) {
        WorkloadSpec spec = new WorkloadSpec(name, "registry.local/web@sha256:0123456789abcdef0123456789abcdef",
                List.of("httpd", "-f", "-p", "8080"), replicas, new Resources(250, 128, 1024), null, "alice",
                Map.of("MODE", "production", "REGION", "eu-west"), null);
        return Workload.create(spec, Instant.parse("2030-01-01T00:00:00Z"), null);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
