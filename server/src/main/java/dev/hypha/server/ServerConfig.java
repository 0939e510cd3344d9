package dev.hypha.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to run a Hypha server (the flags of {@code hypha server}, INTERFACES.md).
 *
 * @param store            "sqlite" (a file in the data dir) or "etcd://host:port[,host:port…]"
 * @param schedulerProfile "mycelial" or "simple"
 * @param gossipPort       0 disables gossip (membership then comes from agent leases only)
 */
public record ServerConfig(Path dataDir, String bind, int apiPort, int gossipPort, String store,
                           Duration settleInterval, List<String> seeds, String schedulerProfile) {
    public ServerConfig {
        if (dataDir == null) throw new IllegalArgumentException("data dir is required");
        bind = bind == null ? "127.0.0.1" : bind;
        if (apiPort < 0 || apiPort > 65535) throw new IllegalArgumentException("api port must be 0..65535");
        if (gossipPort < 0 || gossipPort > 65535) throw new IllegalArgumentException("gossip port must be 0..65535");
        store = store == null ? "sqlite" : store;
        settleInterval = settleInterval == null ? Duration.ofSeconds(30) : settleInterval;
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        schedulerProfile = schedulerProfile == null ? "mycelial" : schedulerProfile;
    }

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(dataDir, "127.0.0.1", 7070, 7946, "sqlite", Duration.ofSeconds(30), List.of(), "mycelial");
    }
}
