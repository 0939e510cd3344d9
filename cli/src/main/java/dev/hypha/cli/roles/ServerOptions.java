package dev.hypha.cli.roles;

import dev.hypha.cli.parse.Converters;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The server options shared by {@code hypha server} and {@code hypha up}. */
public final class ServerOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where state, tokens and agent data live (default: ~/.hypha).")
    Path dataDir;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "7070",
            description = "Port of the API and dashboard (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int apiPort;

    @Option(names = "--gossip-port", paramLabel = "PORT", defaultValue = "7946",
            description = "UDP/TCP port for gossip (default: ${DEFAULT-VALUE}; 0 turns gossip off).")
    int gossipPort;

    @Option(names = "--settle-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = Converters.DurationConverter.class,
            description = "How often running work is settled into the credit ledger (default: ${DEFAULT-VALUE}).")
    Duration settleInterval;

    @Option(names = "--scheduler-profile", paramLabel = "PROFILE", defaultValue = "mycelial",
            description = "Scheduler profile: mycelial (default) or simple.")
    String schedulerProfile;
}
