package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Fields;
import dev.hypha.cli.output.OutputFormat;
import dev.hypha.cli.output.Views;
import dev.hypha.cli.parse.Converters;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hypha node …}: the machines of the cluster, their credit and reputation. */
@Command(name = "node", description = "List and inspect nodes, their credit and reputation; pledge credit.",
        subcommands = {NodeCommand.ListNodes.class, NodeCommand.Get.class, NodeCommand.CreditBalance.class,
                NodeCommand.ReputationOf.class, NodeCommand.Pledge.class})
public final class NodeCommand {
    static String path(String id) {
        return "/api/v1/nodes/" + ApiClient.segment(id);
    }

    /** The orders of {@code node list --sort-by}. */
    enum SortKey { NAME, REPUTATION, CREDIT, LOAD }

    @Command(name = "list", description = "List nodes with their load, reputation and credit.")
    static final class ListNodes implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Option(names = "--sort-by", paramLabel = "KEY", defaultValue = "name",
                description = "name (default, A-Z), or highest first: reputation, credit, load.")
        SortKey sortBy;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                JsonNode nodes = api.get("/api/v1/nodes");
                Map<String, Long> balances = Map.of();
                if (sortBy == SortKey.CREDIT) {
                    balances = balances(api.get("/api/v1/members"));
                } else if (client.format() == OutputFormat.TABLE) {
                    // The CREDIT column is extra: a server without the economy still lists its nodes.
                    balances = api.find("/api/v1/members").map(ListNodes::balances).orElse(Map.of());
                }
                ArrayNode sorted = Json.mapper().createArrayNode();
                sorted(nodes, balances).forEach(sorted::add);
                Map<String, Long> credit = balances;
                client.printer().print(sorted, l -> Views.nodes(l, credit));
            }
            return 0;
        }

        private List<JsonNode> sorted(JsonNode nodes, Map<String, Long> balances) {
            List<JsonNode> list = new ArrayList<>();
            nodes.forEach(list::add);
            Comparator<JsonNode> byName = Comparator.comparing(n -> Fields.cell(n, "id"));
            Comparator<JsonNode> order = switch (sortBy) {
                case NAME -> byName;
                case REPUTATION -> Comparator.comparingDouble(Views::reputationScore).reversed().thenComparing(byName);
                case CREDIT -> Comparator.<JsonNode>comparingLong(n -> balances.getOrDefault(Fields.text(n, "member"), Long.MIN_VALUE))
                        .reversed().thenComparing(byName);
                case LOAD -> Comparator.comparingDouble(Views::loadFraction).reversed().thenComparing(byName);
            };
            list.sort(order);
            return list;
        }

        private static Map<String, Long> balances(JsonNode members) {
            Map<String, Long> balances = new HashMap<>();
            for (JsonNode m : members) {
                JsonNode b = Fields.at(m, "balance");
                if (Fields.text(m, "id") != null && b.isNumber()) balances.put(Fields.text(m, "id"), b.asLong());
            }
            return balances;
        }
    }

    @Command(name = "get", description = "Show one node.")
    static final class Get implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get(path(id)), Views::node);
            }
            return 0;
        }
    }

    @Command(name = "credit-balance", description = "What a node has pledged out and received in.")
    static final class CreditBalance implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get(path(id) + "/credit_balance"), Views::describe);
            }
            return 0;
        }
    }

    @Command(name = "reputation", description = "A node's reputation scores, each 0..1.")
    static final class ReputationOf implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get(path(id) + "/reputation"), Views::describe);
            }
            return 0;
        }
    }

    @Command(name = "pledge", description = "Pledge a node's resources to a workload by hand (a credit adjustment; admin).")
    static final class Pledge implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--to-workload", required = true, paramLabel = "W", description = "The workload that receives the pledge.")
        String workload;

        @Option(names = "--cpu", paramLabel = "CPU", converter = Converters.Cpu.class, defaultValue = "0",
                description = "Cpu pledged: 500m, 0.5, 2 (default: 0).")
        long cpu;

        @Option(names = "--memory", paramLabel = "SIZE", converter = Converters.Memory.class, defaultValue = "0",
                description = "Memory pledged: 256Mi, 1Gi (default: 0).")
        long memory;

        @Option(names = "--disk", paramLabel = "SIZE", converter = Converters.Disk.class, defaultValue = "0",
                description = "Disk pledged (default: 0).")
        long disk;

        @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
                description = "How long the pledge lasts, e.g. 30m or 2h (default: the server's, one hour).")
        Duration duration;

        @Override
        public Integer call() {
            Resources resources;
            try {
                resources = new Resources(cpu, memory, disk);
            } catch (IllegalArgumentException e) {
                throw client.usageError(e.getMessage());
            }
            if (resources.equals(Resources.ZERO)) throw client.usageError("pledge something: give --cpu, --memory or --disk");
            if (duration != null && duration.toSeconds() < 1) throw client.usageError("--duration must be at least 1s");
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("to_workload", workload);
            body.put("cpu_millicores", resources.cpuMillicores());
            body.put("memory_mb", resources.memoryMb());
            body.put("disk_mb", resources.diskMb());
            if (duration != null) body.put("duration_seconds", duration.toSeconds());
            try (ApiClient api = client.client()) {
                JsonNode answer = api.post(path(id) + "/pledge", body);
                if (client.format() == OutputFormat.TABLE) {
                    client.context().out().println("node/" + id + " pledged to workload/" + workload);
                    if (answer.isObject() && !answer.isEmpty()) client.context().out().print(Views.describe(answer));
                    client.context().out().flush();
                } else {
                    client.printer().result("node", id, "pledged", answer);
                }
            }
            return 0;
        }
    }
}
