package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hypha instance list}: the replicas of every workload (or one), optionally on one node. */
@Command(name = "instance", description = "List the instances (replicas) of workloads.",
        subcommands = InstanceCommand.ListInstances.class)
public final class InstanceCommand {
    @Command(name = "list", description = "List instances, of every workload or of one.")
    static final class ListInstances implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Option(names = "--workload", paramLabel = "W", description = "Only this workload's instances.")
        String workload;

        @Option(names = "--node", paramLabel = "N", description = "Only instances on this node.")
        String node;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder();
            if (workload != null) query.append("workload=").append(ApiClient.segment(workload));
            if (node != null) query.append(query.isEmpty() ? "" : "&").append("node=").append(ApiClient.segment(node));
            try (ApiClient api = client.client()) {
                JsonNode found = api.get("/api/v1/instances" + (query.isEmpty() ? "" : "?" + query));
                client.printer().print(found, l -> Views.instances(l, client.context().clock().instant()));
            }
            return 0;
        }
    }
}
