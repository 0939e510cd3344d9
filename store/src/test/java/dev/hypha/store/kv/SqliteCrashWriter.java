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
 * <p>Lines: {@code PUT <key> <revision>} for a single put, {@code OBJ <prefix> <revision>} for a
 * transaction that wrote {@code <prefix>a} and {@code <prefix>b} together. It stops by itself after
 * 60 seconds so that a test that died before killing it leaves nothing running.
 */
public final class SqliteCrashWriter {
    private SqliteCrashWriter() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String round = args[1];
        long deadline = System.nanoTime() + 60_000_000_000L;
        PrintStream out = new PrintStream(System.out, false, UTF_8);
        try (SqliteKvStore store = new SqliteKvStore(file)) {
            for (int i = 0; System.nanoTime() < deadline; i++) {
                byte[] value = ("{\"round\":\"" + round + "\",\"i\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}").getBytes(UTF_8);
                if (i % 2 == 0) {
                    String key = "/kill/" + round + "/put/" + i;
                    long revision = store.put(key, value);
                    out.println("PUT " + key + " " + revision);
                } else {
                    String prefix = "/kill/" + round + "/obj/" + i + "/";
                    long revision = store.txn(List.of(Compare.absent(prefix + "a")),
                            List.of(new Op.Put(prefix + "a", value), new Op.Put(prefix + "b", value)), List.of()).revision();
                    out.println("OBJ " + prefix + " " + revision);
                }
                out.flush();
            }
        }
    }
}
