package dev.hypha.cli.roles;

import dev.hypha.agent.Agent;
import dev.hypha.agent.AgentConfig;
import dev.hypha.cli.CliContext;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypha up}: a one-machine cluster in this process: a server (SQLite store, API on
 * loopback) and one agent talking to it over loopback HTTP, like any remote agent would.
 */
@Command(name = "up", description = "Run a one-machine cluster: a server and an agent in this process.")
public final class UpCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec CommandSpec spec;
    @Mixin ServerOptions server;
    @Mixin NodeOptions node;

    @Option(names = "--runtime", paramLabel = "RUNTIME", defaultValue = "runc",
            description = "Container runtime: runc (default), crun, youki or fake.")
    String runtime;

    UpCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        String nodeId = Roles.nodeId(spec, node.nodeId);
        Roles.checkRuntime(spec, runtime);
        Path dir = Roles.absolute(server.dataDir != null ? server.dataDir : context.defaultDataDir());
        ServerConfig serverConfig = Roles.config(spec, () -> new ServerConfig(dir, "127.0.0.1", server.apiPort,
                server.gossipPort, "sqlite", server.settleInterval, List.of(), server.schedulerProfile));
        // The agent's flags are checked before the server starts (with a stand-in URL and token),
        // so a bad flag is a usage error, not a half-started cluster.
        Roles.config(spec, () -> agentConfig(nodeId, dir, List.of(URI.create("http://127.0.0.1")), "not-yet-known"));

        HyphaServer hypha = Roles.start("server", () -> HyphaServer.start(serverConfig));
        Agent agent;
        try {
            agent = Roles.start("agent", () -> Agent.start(agentConfig(nodeId, dir, List.of(hypha.apiUrl()),
                    hypha.joinToken())));
        } catch (RuntimeException e) {
            hypha.close();
            throw e;
        }
        // Agent first: it stops reporting before the server it reports to goes away.
        context.shutdownHooks().register("hypha-up-stop", Roles.once(context.err(), agent::close, hypha::close));
        context.out().print("Hypha is up: a server and node " + agent.nodeId() + " (runtime " + runtime
                + ") in this process.\n" + Up.where(hypha, dir, context)
                + "Try:  hypha workload create hello --image busybox --replicas 2 --wait -- sh -c 'while true; do echo hi; sleep 1; done'\n"
                + "Press Ctrl-C to stop.\n");
        context.out().flush();
        hypha.awaitTermination();
        return 0;
    }

    private AgentConfig agentConfig(String nodeId, Path dir, List<URI> servers, String joinToken) {
        return new AgentConfig(servers, joinToken, nodeId, node.member, dir.resolve("agent-" + nodeId),
                node.gossipBind, List.of(), runtime, node.capacity, node.region, node.costPerHour,
                node.carbonIntensity, node.power, node.fakeFailureRate);
    }
}
