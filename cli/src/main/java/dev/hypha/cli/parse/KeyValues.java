package dev.hypha.cli.parse;

import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses the {@code key=value,key=value} flags of the roles: {@code --capacity
 * cpu=4000m,memory=8Gi,disk=20Gi} and {@code --power idle=40,max=180}.
 *
 * <p>Unknown and repeated keys are refused, so a typo ("mem=8Gi") cannot silently fall back to a
 * default.
 */
public final class KeyValues {
    private KeyValues() {}

    /** Splits {@code a=1,b=2} into an ordered map, accepting only {@code allowed} keys. */
    public static Map<String, String> parse(String flag, String text, Set<String> allowed) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(flag + " is empty: expected " + example(flag));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String item = part.strip();
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException(flag + " '" + item + "' is not key=value: expected " + example(flag));
            }
            String key = item.substring(0, eq).strip();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(flag + " has an unknown key '" + key + "': the keys are "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (values.put(key, item.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(flag + " gives '" + key + "' twice");
            }
        }
        return values;
    }

    /**
     * A node's capacity: cpu and memory are required (a node with neither cannot run anything),
     * disk defaults to 0.
     */
    public static Resources capacity(String text) {
        Map<String, String> kv = parse("--capacity", text, Set.of("cpu", "memory", "disk"));
        if (!kv.containsKey("cpu") || !kv.containsKey("memory")) {
            throw new IllegalArgumentException("--capacity needs both cpu and memory, e.g. cpu=4000m,memory=8Gi");
        }
        long cpu = Quantities.cpuMillicores(kv.get("cpu"));
        long memory = Quantities.memoryMib(kv.get("memory"));
        long disk = kv.containsKey("disk") ? Quantities.diskMib(kv.get("disk")) : 0;
        try {
            return new Resources(cpu, memory, disk);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--capacity: " + e.getMessage());
        }
    }

    /** A node's power profile in watts, e.g. {@code idle=40,max=180}. */
    public static PowerProfile power(String text) {
        Map<String, String> kv = parse("--power", text, Set.of("idle", "max"));
        if (!kv.containsKey("idle") || !kv.containsKey("max")) {
            throw new IllegalArgumentException("--power needs both idle and max watts, e.g. idle=40,max=180");
        }
        try {
            return new PowerProfile(watts("idle", kv.get("idle")), watts("max", kv.get("max")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--power: " + e.getMessage());
        }
    }

    private static double watts(String key, String value) {
        try {
            double w = Double.parseDouble(value.endsWith("W") ? value.substring(0, value.length() - 1) : value);
            if (!Double.isFinite(w)) throw new NumberFormatException();
            return w;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a number of watts");
        }
    }

    private static String example(String flag) {
        return switch (flag) {
            case "--capacity" -> "cpu=4000m,memory=8Gi,disk=20Gi";
            case "--power" -> "idle=40,max=180";
            default -> "key=value,key=value";
        };
    }
}
