package dev.hypha.cli.commands;

import dev.hypha.cli.parse.Converters;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout}, shared by the verbs that change a workload's replicas. */
public final class WaitOptions {
    @Option(names = "--wait", description = "Wait until every replica is ready, printing progress to stderr.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            converter = Converters.DurationConverter.class,
            description = "How long --wait waits before failing (default: ${DEFAULT-VALUE}); e.g. 30s, 5m.")
    Duration timeout;

    public boolean enabled() {
        return wait;
    }

    public Duration timeout() {
        return timeout;
    }
}
