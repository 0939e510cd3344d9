package dev.hypha.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.model.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Prints one command's result in the chosen {@link OutputFormat}: the table view for people, or
 * the API's JSON tree as (pretty) JSON or YAML for scripts.
 */
public final class Printer {
    private final PrintWriter out;
    private final OutputFormat format;

    public Printer(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    public OutputFormat format() {
        return format;
    }

    /** Prints {@code value}: through {@code table} for people, as JSON or YAML otherwise. */
    public void print(JsonNode value, Function<JsonNode, String> table) {
        switch (format) {
            case TABLE -> out.print(table.apply(value));
            case JSON -> out.println(json(value));
            case YAML -> out.print(yaml(value));
        }
        out.flush();
    }

    /**
     * Prints the outcome of a change: {@code workload/web created} for people; for scripts the
     * object the server returned, or {@code {kind, name, result}} when it returned none.
     */
    public void result(String kind, String name, String outcome, JsonNode object) {
        JsonNode value = object;
        if (value == null || value.isMissingNode() || value.isNull() || !value.isContainerNode()) {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("kind", kind);
            o.put("name", name);
            o.put("result", outcome);
            value = o;
        }
        print(value, v -> kind + "/" + name + " " + outcome + "\n");
    }

    public static String json(JsonNode value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** YAML that reads back as it was written: strings that look like numbers or booleans are quoted (see {@link Json#yaml()}). */
    public static String yaml(JsonNode value) {
        try {
            return Json.yaml().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
