package dev.hypha.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.parse.Quantities;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads fields out of the API's JSON trees and formats them for a table cell: absent values
 * become "-", quantities get their units, instants become ages.
 */
public final class Fields {
    private Fields() {}

    /** The node at {@code path}, or a missing node. */
    public static JsonNode at(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            if (cur == null || !cur.isObject()) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            cur = cur.path(p);
        }
        return cur == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : cur;
    }

    public static boolean present(JsonNode v) {
        return v != null && !v.isMissingNode() && !v.isNull();
    }

    /** The text at {@code path}, or null when absent. */
    public static String text(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return present(v) ? v.asText() : null;
    }

    /** The text at {@code path}, or "-" when absent or empty. */
    public static String cell(JsonNode n, String... path) {
        String t = text(n, path);
        return t == null || t.isEmpty() ? "-" : t;
    }

    public static long number(JsonNode n, long otherwise, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? v.asLong() : otherwise;
    }

    public static double decimal(JsonNode n, double otherwise, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? v.asDouble() : otherwise;
    }

    public static String cpu(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? Quantities.formatCpu(v.asLong()) : "-";
    }

    public static String mib(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? Quantities.formatMib(v.asLong()) : "-";
    }

    /** A number with at most {@code digits} decimals, or "-". */
    public static String fixed(JsonNode n, int digits, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? String.format(Locale.ROOT, "%." + digits + "f", v.asDouble()) : "-";
    }

    /** A number as written, without trailing zeros: 50.0 → "50", 0.125 → "0.125"; or "-". */
    public static String plain(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? new BigDecimal(v.asText()).stripTrailingZeros().toPlainString() : "-";
    }

    /** Micro-credits as credits, exactly: 1500000 → "1.5", -250 → "-0.00025". */
    public static String credits(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v.isNumber() ? credits(v.asLong()) : "-";
    }

    public static String credits(long microCredits) {
        return new BigDecimal(microCredits).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    /** How long ago the instant at {@code path} was, as kubectl prints ages: 45s, 12m, 5h, 3d. */
    public static String age(JsonNode n, Instant now, String... path) {
        String t = text(n, path);
        if (t == null) return "-";
        try {
            return age(Duration.between(Instant.parse(t), now));
        } catch (DateTimeParseException e) {
            return "-";
        }
    }

    public static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) return s + "s";
        if (s < 2 * 3600) return s / 60 + "m";
        if (s < 48 * 3600) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}
