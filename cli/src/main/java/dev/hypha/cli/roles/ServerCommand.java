package dev.hypha.cli.roles;

import dev.hypha.cli.CliContext;
import dev.hypha.server.HyphaServer;
import dev.hypha.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hypha server}: the API server and controllers, for a cluster whose agents run elsewhere. */
@Command(name = "server", description = "Run a Hypha server (API, controllers, scheduler, economy).")
public final class ServerCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec CommandSpec spec;
    @Mixin ServerOptions server;

    @Option(names = "--bind", paramLabel = "IP", defaultValue = "127.0.0.1",
            description = "Address the API listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "sqlite",
            description = "sqlite (a file in the data dir, default) or etcd://HOST:PORT[,HOST:PORT…].")
    String store;

    @Option(names = "--seeds", paramLabel = "IP:PORT,…", description = "Gossip seeds: other servers or agents.")
    String seeds;

    ServerCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = Roles.absolute(server.dataDir != null ? server.dataDir : context.defaultDataDir());
        ServerConfig config = Roles.config(spec, () -> new ServerConfig(dir, bind, server.apiPort, server.gossipPort,
                store, server.settleInterval, Roles.seeds(spec, seeds), server.schedulerProfile));
        HyphaServer hypha = Roles.start("server", () -> HyphaServer.start(config));
        context.shutdownHooks().register("hypha-server-stop", Roles.once(context.err(), hypha::close));
        context.out().print("Hypha server is up.\n" + Up.where(hypha, dir, context)
                + "  Join:       " + dir.resolve("join.token") + " (agents: hypha agent --server "
                + hypha.apiUrl() + " --join-token $(cat " + dir.resolve("join.token") + "))\n"
                + "Press Ctrl-C to stop.\n");
        context.out().flush();
        hypha.awaitTermination();
        return 0;
    }
}
