package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.cli.CliException;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Fields;
import dev.hypha.cli.output.Views;
import dev.hypha.model.Json;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hypha intent …}: submit goals ("3 replicas, under 10/h, prefer renewables") and read their plans. */
@Command(name = "intent", description = "Submit intents (goals with constraints) and read their plans.",
        subcommands = {IntentCommand.Create.class, IntentCommand.ListIntents.class, IntentCommand.Get.class,
                IntentCommand.Delete.class})
public final class IntentCommand {
    @Command(name = "create", description = "Submit an intent from a YAML or JSON file; --dry-run only plans.")
    static final class Create implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The intent (YAML or JSON).")
        Path file;

        @Option(names = "--dry-run", description = "Plan only: print the plan, create nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            ObjectNode body = read();
            if (dryRun) body.put("dry_run", true);
            try (ApiClient api = client.client()) {
                JsonNode answer = api.post("/api/v1/intents", body);
                client.printer().print(answer, a -> (dryRun ? "Dry run: nothing was created.\n\n"
                        : "intent/" + Fields.cell(a, "id") + " created\n\n") + Views.intent(a));
            }
            return 0;
        }

        private ObjectNode read() {
            try {
                JsonNode doc = Json.yaml().readTree(file.toFile());
                if (doc == null || !doc.isObject()) throw new CliException(file + ": expected a mapping of the intent's fields");
                ObjectNode body = (ObjectNode) doc;
                JsonNode kind = body.remove("kind");
                if (kind != null && !kind.asText().toLowerCase(Locale.ROOT).equals("intent")) {
                    throw new CliException(file + ": kind is '" + kind.asText() + "', expected Intent");
                }
                return body;
            } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                throw new CliException("cannot read " + file + ": no such file");
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + ApplyCommand.firstLine(e.getMessage()), e);
            }
        }
    }

    @Command(name = "list", description = "List intents with their status and plan summary.")
    static final class ListIntents implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get("/api/v1/intents"), Views::intents);
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Show one intent and its plan.")
    static final class Get implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get("/api/v1/intents/" + ApiClient.segment(id)), Views::intent);
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an intent and the workload it made.")
    static final class Delete implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                JsonNode answer = api.delete("/api/v1/intents/" + ApiClient.segment(id));
                String workload = Fields.text(answer, "workload");
                client.printer().result("intent", id, workload == null ? "deleted" : "deleted (and workload/" + workload + ")",
                        answer);
            }
            return 0;
        }
    }
}
