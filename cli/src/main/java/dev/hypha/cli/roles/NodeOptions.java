package dev.hypha.cli.roles;

import dev.hypha.cli.parse.Converters;
import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that describe this machine as a node, shared by {@code hypha agent} and
 * {@code hypha up}: who it is, what it offers, where it runs and what it costs.
 */
public final class NodeOptions {
    static final List<String> RUNTIMES = List.of("runc", "crun", "youki", "fake");

    @Option(names = "--node-id", paramLabel = "ID",
            description = "This node's id (default: the host name, lowercased and made a valid name).")
    String nodeId;

    @Option(names = "--member", paramLabel = "M", description = "Member that owns this node (default: a member named after the node).")
    String member;

    @Option(names = "--region", paramLabel = "R", description = "Region of this node (default: default).")
    String region;

    @Option(names = "--capacity", paramLabel = "cpu=…,memory=…[,disk=…]", converter = Converters.Capacity.class,
            description = "What this node offers, e.g. cpu=4000m,memory=8Gi,disk=20Gi (default: detected).")
    Resources capacity;

    @Option(names = "--cost-per-hour", paramLabel = "PRICE", defaultValue = "0",
            description = "Price of this whole node per hour (default: 0).")
    double costPerHour;

    @Option(names = "--carbon-intensity", paramLabel = "G_PER_KWH", defaultValue = "0",
            description = "Grams of CO2 per kWh of this node's electricity (default: 0).")
    double carbonIntensity;

    @Option(names = "--power", paramLabel = "idle=W,max=W", converter = Converters.Power.class,
            description = "Power draw at idle and at full cpu, for the energy estimate (default: idle=40,max=180).")
    PowerProfile power;

    @Option(names = "--gossip-bind", paramLabel = "IP:PORT", description = "Address for gossip (default: a free loopback port).")
    String gossipBind;

    @Option(names = "--fake-failure-rate", paramLabel = "RATE", defaultValue = "0.0",
            description = "Fake runtime only: fraction of container starts that fail (0..1).")
    double fakeFailureRate;
}
