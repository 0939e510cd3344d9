package dev.hypha.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.hypha.model.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Prints one command's result in the chosen {@link OutputFormat}: the table view for people, or
 * the API's JSON tree as (pretty) JSON or YAML for scripts.
 */
public final class Printer {
    /**
     * YAML for reading back: minimal quotes, except on strings a YAML 1.1 reader would take for
     * something else. Jackson's own check misses some ("0x1F" reads back as 31, "1:20" as 80), so
     * every string that starts like a number is quoted too.
     */
    private static final ObjectMapper YAML_OUT = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new NumberLikeQuoting())
            .build());

    private static final class NumberLikeQuoting extends StringQuotingChecker.Default {
        @Override
        public boolean needToQuoteValue(String value) {
            if (super.needToQuoteValue(value) || value.isEmpty()) return true;
            char first = value.charAt(0);
            char second = value.length() > 1 ? value.charAt(1) : ' ';
            return Character.isDigit(first) || first == '.'
                    || (first == '+' || first == '-') && (Character.isDigit(second) || second == '.');
        }
    }
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

    public static String yaml(JsonNode value) {
        try {
            return YAML_OUT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
