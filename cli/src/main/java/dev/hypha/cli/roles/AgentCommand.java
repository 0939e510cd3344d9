package dev.hypha.cli.roles;

import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.cli.CliContext;
import dev.hypha.cli.client.Endpoint;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hypha agent}: runs this machine as a node of a cluster whose servers are elsewhere. */
@Command(name = "agent", description = "Run a node agent that joins the cluster at --server with --join-token.")
public final class AgentCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec CommandSpec spec;
    @Mixin NodeOptions node;

    @Option(names = "--server", required = true, paramLabel = "URL[,URL…]", split = ",",
            description = "The servers' API URLs; the agent fails over between them.")
    List<String> servers = new ArrayList<>();

    @Option(names = "--join-token", required = true, paramLabel = "TOKEN",
            description = "The cluster's join token (the server's DATA/join.token).")
    String joinToken;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where this agent keeps its state (default: ~/.hypha/agent-<node-id>).")
    Path dataDir;

    @Option(names = "--seeds", paramLabel = "IP:PORT,…", description = "Gossip seeds: other servers or agents.")
    String seeds;

    @Option(names = "--runtime", paramLabel = "RUNTIME", defaultValue = "runc",
            description = "Container runtime: runc (default), crun, youki or fake.")
    String runtime;

    AgentCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        String nodeId = Roles.nodeId(spec, node.nodeId);
        Roles.checkRuntime(spec, runtime);
        List<URI> urls = new ArrayList<>();
        for (String s : servers) {
            try {
                urls.add(Endpoint.parseServer(s, "--server"));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Path dir = Roles.absolute(dataDir != null ? dataDir : context.defaultDataDir().resolve("agent-" + nodeId));
        AgentConfig config = Roles.config(spec, () -> new AgentConfig(urls, joinToken, nodeId, node.member, dir,
                node.gossipBind, Roles.seeds(spec, seeds), runtime, node.capacity, node.region, node.costPerHour,
                node.carbonIntensity, node.power, node.fakeFailureRate));

        Agent agent = Roles.start("agent", () -> Agent.start(config));
        context.shutdownHooks().register("hypha-agent-stop", Roles.once(context.err(), agent::close));
        PrintWriter out = context.out();
        out.println("Hypha agent: node " + agent.nodeId() + " (runtime " + runtime + ") joining " + urls);
        out.println("  Data:  " + dir);
        out.println("Press Ctrl-C to stop.");
        out.flush();
        agent.awaitTermination();
        return 0;
    }
}
