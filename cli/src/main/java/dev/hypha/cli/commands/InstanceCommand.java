package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Fields;
import dev.hypha.cli.output.Views;
import dev.hypha.model.Json;
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
            try (ApiClient api = client.client()) {
                ArrayNode found = Json.mapper().createArrayNode();
                if (workload != null) {
                    collect(api.get(WorkloadCommand.path(workload) + "/instances"), found);
                } else {
                    // The API lists instances per workload; "all instances" is the union.
                    for (JsonNode w : api.get("/api/v1/workloads")) {
                        String name = Fields.text(w, "name");
                        if (name != null) collect(api.get(WorkloadCommand.path(name) + "/instances"), found);
                    }
                }
                client.printer().print(found, l -> Views.instances(l, client.context().clock().instant()));
            }
            return 0;
        }

        private void collect(JsonNode instances, ArrayNode into) {
            for (JsonNode i : instances) {
                if (node == null || node.equals(Fields.text(i, "node_id"))) into.add(i);
            }
        }
    }
}
