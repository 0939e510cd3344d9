package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenarios replayed against golden traces (as etcd-raft's testdata): every member change and event,
 * with its time, must match the file. A change in behaviour shows up as a readable diff.
 *
 * <p>After an intended change, regenerate with {@code -Dswim.golden.update=true} and review the diff.
 */
class SwimGoldenScenarioTest {
    private static final Path DIRECTORY = Path.of("src/test/resources/golden/swim");
    private static final SwimConfig CONFIG = SwimConfig.lan().withPushPullInterval(Duration.ZERO);

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("crash-of-one-of-four", (Consumer<TestCluster>) c -> {
                    c.run(Duration.ofSeconds(3));
                    c.crash("d");
                    c.run(Duration.ofSeconds(15));
                }),
                Arguments.of("suspicion-refuted", (Consumer<TestCluster>) c -> {
                    c.run(Duration.ofSeconds(2));
                    c.block("b", "a");
                    c.block("b", "c");
                    c.block("b", "d");
                    c.run(Duration.ofMillis(2500));
                    c.unblock("b", "a");
                    c.unblock("b", "c");
                    c.unblock("b", "d");
                    c.run(Duration.ofSeconds(8));
                }),
                Arguments.of("graceful-leave", (Consumer<TestCluster>) c -> {
                    c.run(Duration.ofSeconds(2));
                    c.absorb("c", c.node("c").leave(c.now()));
                    c.run(Duration.ofSeconds(5));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void traceMatchesTheGoldenFile(String name, Consumer<TestCluster> scenario) throws IOException {
        TestCluster c = new TestCluster(CONFIG, 2024, "a", "b", "c", "d").joined();
        scenario.accept(c);
        String actual = String.join("\n", c.trace) + "\n";
        Path golden = DIRECTORY.resolve(name + ".txt");
        if (Boolean.getBoolean("swim.golden.update")) {
            Files.createDirectories(DIRECTORY);
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file (create it with -Dswim.golden.update=true)").exists();
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
