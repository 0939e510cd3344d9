package dev.hypha.store.kv;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.Op;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link SqliteKillTest}: writes to a SQLite store as fast as it can and
 * prints each acknowledged write on stdout, until it is killed.
 *
 * <p>{@link #THREADS} threads write at once. Lines: {@code PUT <key> <revision>} for a single put, {@code OBJ <prefix> <revision>} for a
 * transaction that wrote {@code <prefix>a} and {@code <prefix>b} together. It stops by itself after
 * 60 seconds so that a test that died before killing it leaves nothing running.
 */
public final class SqliteCrashWriter {
    private SqliteCrashWriter() {}

    /** Writers at once, so that kills also land in group commits (writes of several threads in one SQLite transaction). */
    static final int THREADS = 4;

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        String round = args[1];
        long deadline = System.nanoTime() + 60_000_000_000L;
        PrintStream out = new PrintStream(System.out, false, UTF_8);
        try (SqliteKvStore store = new SqliteKvStore(file)) {
            List<Thread> writers = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String writer = round + "/w" + t;
                writers.add(Thread.ofPlatform().start(() -> write(store, writer, round, deadline, out)));
            }
            for (Thread w : writers) w.join();
        }
    }

    private static void write(SqliteKvStore store, String writer, String round, long deadline, PrintStream out) {
        for (int i = 0; System.nanoTime() < deadline; i++) {
            byte[] value = ("{\"round\":\"" + round + "\",\"i\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}").getBytes(UTF_8);
            String line;
            if (i % 2 == 0) {
                String key = "/kill/" + writer + "/put/" + i;
                long revision = store.put(key, value);
                line = "PUT " + key + " " + revision;
            } else {
                String prefix = "/kill/" + writer + "/obj/" + i + "/";
                long revision = store.txn(List.of(Compare.absent(prefix + "a")),
                        List.of(new Op.Put(prefix + "a", value), new Op.Put(prefix + "b", value)), List.of()).revision();
                line = "OBJ " + prefix + " " + revision;
            }
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }
}
