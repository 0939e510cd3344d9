package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.cli.CliException;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Fields;
import dev.hypha.cli.output.OutputFormat;
import dev.hypha.cli.output.Views;
import dev.hypha.model.Json;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.IntentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hypha apply -f FILE.yaml}: makes the cluster match a manifest. Each YAML document has a
 * {@code kind}: a {@code Workload} (the API's WorkloadSpec fields) is created, or updated when it
 * differs from the stored one; an {@code Intent} (the API's Intent fields) is created, or given its
 * new spec when an intent already runs the workload it names (its {@code name}, or the name derived
 * from its image), so applying one file twice changes nothing.
 *
 * <p>Every document is read and checked before anything is sent, so a typo in the third
 * document does not leave the first two applied.
 */
@Command(name = "apply", description = {
        "Create or update what a YAML manifest describes.",
        "Documents (separated by ---) have kind: Workload or kind: Intent, then the API's fields;",
        "a Workload's resources may be written as cpu: 250m, memory: 64Mi, disk: 1Gi."})
public final class ApplyCommand implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The manifest (YAML or JSON).")
    Path file;

    /** One checked document of the manifest. */
    @Option(names = "--dry-run", description = "Change nothing: plan each Intent and print its plan; say what each"
            + " Workload would become (created, configured or unchanged).")
    boolean dryRun;

    private sealed interface Document permits WorkloadDocument, IntentDocument {}

    private record WorkloadDocument(WorkloadSpec spec) implements Document {}

    /** @param workload the workload the intent runs: its {@code name}, else the name derived from its image */
    private record IntentDocument(ObjectNode body, String workload) implements Document {}

    @Override
    public Integer call() {
        List<Document> documents = read();
        if (documents.isEmpty()) throw new CliException(file + " has no documents");
        ArrayNode results = Json.mapper().createArrayNode();
        boolean forPeople = client.format() == OutputFormat.TABLE;
        try (ApiClient api = client.client()) {
            for (Document d : documents) {
                ObjectNode r = apply(api, d);
                results.add(r);
                if (forPeople) {
                    client.context().out().println(r.get("kind").asText() + "/" + r.get("name").asText() + " " + r.get("result").asText());
                    if (r.has("plan")) client.context().out().println(Views.intent(r.get("plan")));
                    client.context().out().flush();
                }
            }
        } finally {
            if (!forPeople && !results.isEmpty()) client.printer().print(results, r -> "");
        }
        return 0;
    }

    private ObjectNode apply(ApiClient api, Document d) {
        return switch (d) {
            case WorkloadDocument w -> applyWorkload(api, w.spec());
            case IntentDocument i -> applyIntent(api, i);
        };
    }

    private ObjectNode applyIntent(ApiClient api, IntentDocument doc) {
        Optional<JsonNode> existing = StreamSupport.stream(api.get("/api/v1/intents").spliterator(), false)
                .filter(i -> doc.workload().equals(Fields.text(i, "workload"))).findFirst();
        ObjectNode request = dryRun ? doc.body().deepCopy().put("dry_run", true) : doc.body();
        if (existing.isEmpty()) {
            JsonNode answer = api.post("/api/v1/intents", request);
            if (dryRun) return planned(Fields.cell(answer, "workload"), answer);
            String status = Fields.text(answer, "status");
            return outcome("intent", Fields.cell(answer, "id"), status == null ? "created" : "created (" + status + ")");
        }
        String id = Fields.text(existing.get(), "id");
        JsonNode answer = api.put("/api/v1/intents/" + ApiClient.segment(id), request);
        if (dryRun) return planned(doc.workload(), answer);
        boolean changed = answer.path("generation").asLong() != existing.get().path("generation").asLong();
        String status = Fields.text(answer, "status");
        return outcome("intent", id, (changed ? "configured" : "unchanged") + (status == null ? "" : " (" + status + ")"));
    }

    private static ObjectNode planned(String name, JsonNode answer) {
        ObjectNode o = outcome("intent", name, "planned (dry run)");
        o.set("plan", answer);
        return o;
    }

    private ObjectNode applyWorkload(ApiClient api, WorkloadSpec spec) {
        String path = WorkloadCommand.path(spec.name());
        Optional<JsonNode> existing = api.find(path);
        String suffix = dryRun ? " (dry run)" : "";
        if (existing.isEmpty()) {
            if (!dryRun) api.post("/api/v1/workloads", spec);
            return outcome("workload", spec.name(), "created" + suffix);
        }
        if (Manifests.specOf(existing.get()).equals(spec)) return outcome("workload", spec.name(), "unchanged");
        if (!dryRun) api.put(path, spec);
        return outcome("workload", spec.name(), "configured" + suffix);
    }

    private static ObjectNode outcome(String kind, String name, String result) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("kind", kind);
        o.put("name", name);
        o.put("result", result);
        return o;
    }

    private List<Document> read() {
        List<Document> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Json.yaml().readerFor(JsonNode.class).readValues(Files.newBufferedReader(file))) {
            int index = 0;
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isObject() && doc.isEmpty()) continue;
                documents.add(check(doc, index));
            }
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            if (e instanceof CliException) throw e;
            throw new CliException(file + " is not valid YAML: " + firstLine(e.getMessage()), e);
        }
        return documents;
    }

    private Document check(JsonNode doc, int index) {
        String where = file + ", document " + index;
        if (!doc.isObject()) throw new CliException(where + ": expected a mapping with a kind, got " + doc.getNodeType().name().toLowerCase(Locale.ROOT));
        String kind = Fields.text(doc, "kind");
        if (kind == null) throw new CliException(where + ": kind is missing (Workload or Intent)");
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "workload" -> {
                try {
                    yield new WorkloadDocument(Manifests.workloadFromManifest(doc));
                } catch (IllegalArgumentException e) {
                    throw new CliException(where + " (Workload): " + e.getMessage());
                }
            }
            case "intent" -> {
                ObjectNode body = doc.deepCopy();
                body.remove("kind");
                try {
                    yield new IntentDocument(body, Manifests.toSpec(body, IntentSpec.class).name());
                } catch (IllegalArgumentException e) {
                    throw new CliException(where + " (Intent): " + e.getMessage());
                }
            }
            default -> throw new CliException(where + ": kind '" + kind + "' is not known (Workload or Intent)");
        };
    }

    static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
