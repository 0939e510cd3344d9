package dev.hypha.agent;

import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How to run a Hypha agent (the flags of {@code hypha agent}, INTERFACES.md).
 *
 * @param servers         every server's API URL; the agent fails over between them
 * @param runtime         "runc", "crun", "youki" or "fake"
 * @param gossipBind      ip:port for gossip, or null to pick a free loopback port
 * @param capacity        what this node offers; null = detected from the machine
 * @param fakeFailureRate fake runtime only: fraction of starts that fail
 */
public record AgentConfig(List<URI> servers, String joinToken, String nodeId, String member, Path dataDir,
                          String gossipBind, List<String> seeds, String runtime, Resources capacity, String region,
                          double costPerHour, double carbonIntensity, PowerProfile power, double fakeFailureRate) {
    public AgentConfig {
        if (servers == null || servers.isEmpty()) throw new IllegalArgumentException("at least one --server is required");
        servers = List.copyOf(servers);
        if (joinToken == null || joinToken.isBlank()) throw new IllegalArgumentException("--join-token is required");
        if (dataDir == null) throw new IllegalArgumentException("data dir is required");
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        runtime = runtime == null ? "runc" : runtime;
        region = region == null ? "default" : region;
        power = power == null ? PowerProfile.DEFAULT : power;
        if (fakeFailureRate < 0 || fakeFailureRate > 1) throw new IllegalArgumentException("--fake-failure-rate must be in 0..1");
    }
}
