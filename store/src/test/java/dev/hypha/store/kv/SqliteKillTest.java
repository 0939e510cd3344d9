package dev.hypha.store.kv;

import static dev.hypha.store.kv.KvStoreContractTest.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.spi.KvStore.KeyValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL in the middle of its writes leaves a readable store that
 * holds every write it acknowledged, and no transaction half-applied.
 */
class SqliteKillTest {
    private static final int ACKS_BEFORE_KILL = 150;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path file = dir.resolve("state.db");
        List<String> acknowledged = new ArrayList<>();
        for (String round : List.of("r1", "r2")) {
            acknowledged.addAll(runAndKill(file, round));
        }

        try (SqliteKvStore store = new SqliteKvStore(file)) {
            Map<String, KeyValue> stored = store.range("/kill/").stream()
                    .collect(Collectors.toMap(KeyValue::key, Function.identity()));
            long highest = 0;
            for (String ack : acknowledged) {
                String[] parts = ack.split(" ");
                long revision = Long.parseLong(parts[2]);
                highest = Math.max(highest, revision);
                if (parts[0].equals("PUT")) {
                    assertThat(stored.get(parts[1])).as(ack).isNotNull()
                            .extracting(KeyValue::modRevision).isEqualTo(revision);
                } else {
                    assertThat(stored.get(parts[1] + "a")).as(ack).isNotNull()
                            .extracting(KeyValue::modRevision).isEqualTo(revision);
                    assertThat(stored.get(parts[1] + "b")).as(ack).isNotNull()
                            .extracting(KeyValue::modRevision).isEqualTo(revision);
                }
            }
            // No object is half-written, acknowledged or not.
            for (KeyValue kv : stored.values()) {
                if (kv.key().contains("/obj/")) {
                    String sibling = kv.key().endsWith("a") ? kv.key().replaceAll("a$", "b") : kv.key().replaceAll("b$", "a");
                    assertThat(stored).as("both halves of %s", kv.key()).containsKey(sibling);
                }
            }
            long revision = store.revision();
            assertThat(revision).isGreaterThanOrEqualTo(highest);
            assertThat(store.put("/kill/after", "ok".getBytes(UTF_8))).isEqualTo(revision + 1);
        }
    }

    /** Starts a writer, waits for enough acknowledgements, kills it with SIGKILL and returns every ack it printed. */
    private List<String> runAndKill(Path file, String round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SqliteCrashWriter.class.getName(), file.toString(), round)
                .redirectError(dir.resolve("writer-" + round + ".err").toFile())
                .start();
        List<String> acks = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (acks) {
                        acks.add(line);
                    }
                }
            } catch (IOException e) {
                // The pipe breaks when the child dies: everything it flushed was read.
            }
        });
        try {
            eventually().atMost(30, TimeUnit.SECONDS).until(() -> {
                synchronized (acks) {
                    return acks.size() >= ACKS_BEFORE_KILL || !child.isAlive();
                }
            });
            assertThat(child.isAlive()).as("writer %s is still writing (see writer-%s.err)", round, round).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        synchronized (acks) {
            assertThat(acks).allMatch(line -> line.matches("(PUT|OBJ) \\S+ \\d+"));
            return List.copyOf(acks);
        }
    }
}
