package dev.hypha.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.cli.parse.Quantities;
import dev.hypha.model.Json;
import dev.hypha.model.WorkloadSpec;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON and YAML documents into {@link WorkloadSpec}s: a stored workload (to compare or
 * change it) and a manifest written by a person, where {@code resources} may use quantities
 * ({@code cpu: 250m, memory: 64Mi, disk: 1Gi}) as well as the API's
 * {@code cpu_millicores}/{@code memory_mb}/{@code disk_mb}.
 */
final class Manifests {
    /** The fields of a WorkloadSpec; a stored Workload adds generation, status, created_at, owner. */
    private static final List<String> SPEC_FIELDS = List.of("name", "image", "command", "replicas", "resources",
            "restart_policy", "member", "env", "placement", "liveness");
    private static final Map<String, String> QUANTITY_KEYS = Map.of("cpu", "cpu_millicores", "memory", "memory_mb",
            "disk", "disk_mb");

    private Manifests() {}

    /** The spec part of a stored workload, as the API returned it. */
    static WorkloadSpec specOf(JsonNode workload) {
        ObjectNode spec = Json.mapper().createObjectNode();
        for (String f : SPEC_FIELDS) {
            if (workload.has(f) && !workload.get(f).isNull()) spec.set(f, workload.get(f));
        }
        return toSpec(spec, WorkloadSpec.class);
    }

    /**
     * A manifest's workload spec. Throws {@link IllegalArgumentException} with a message naming
     * the field that is wrong.
     */
    static WorkloadSpec workloadFromManifest(JsonNode document) {
        if (!document.isObject()) throw new IllegalArgumentException("a Workload must be a mapping of fields");
        ObjectNode spec = document.deepCopy();
        spec.remove("kind");
        // As with the flags, a manifest that does not say how many replicas wants one.
        if (!spec.has("replicas")) spec.put("replicas", 1);
        JsonNode resources = spec.get("resources");
        if (resources instanceof ObjectNode r) {
            for (Map.Entry<String, String> q : QUANTITY_KEYS.entrySet()) {
                JsonNode v = r.remove(q.getKey());
                if (v == null) continue;
                if (r.has(q.getValue())) {
                    throw new IllegalArgumentException("resources gives both " + q.getKey() + " and " + q.getValue());
                }
                String text = v.asText();
                long amount = switch (q.getKey()) {
                    case "cpu" -> Quantities.cpuMillicores(text);
                    case "memory" -> Quantities.memoryMib(text);
                    default -> Quantities.diskMib(text);
                };
                r.put(q.getValue(), amount);
            }
            // A person who gives only cpu expects the default memory, as the flags do.
            if (!r.has("cpu_millicores")) r.put("cpu_millicores", WorkloadSpec.DEFAULT_RESOURCES.cpuMillicores());
            if (!r.has("memory_mb")) r.put("memory_mb", WorkloadSpec.DEFAULT_RESOURCES.memoryMb());
            if (!r.has("disk_mb")) r.put("disk_mb", WorkloadSpec.DEFAULT_RESOURCES.diskMb());
        }
        return toSpec(spec, WorkloadSpec.class);
    }

    /**
     * A manifest's fields as the API's record, with an error a person understands (the field, the
     * rule) when they do not make one.
     *
     * @throws IllegalArgumentException what is wrong with the fields
     */
    static <T> T toSpec(ObjectNode spec, Class<T> type) {
        try {
            return Json.mapper().treeToValue(spec, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field '" + e.getPropertyName() + "'" + path(e));
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (root instanceof IllegalArgumentException) throw new IllegalArgumentException(root.getMessage());
            throw new IllegalArgumentException(e.getOriginalMessage() + path(e));
        }
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            else sb.append('[').append(ref.getIndex()).append(']');
        }
        return " (at " + sb + ")";
    }
}
