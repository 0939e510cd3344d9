package dev.hypha.cli.parse;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, and
 * sums of them like {@code 1m30s} (Go's notation, which etcd, Nomad and Kubernetes users know).
 *
 * <p>A bare number is refused (is "30" seconds or minutes?), except {@code 0}.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");

    private Durations() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("duration is empty: expected something like 500ms, 10s or 5m");
        }
        String trimmed = text.strip();
        if (trimmed.equals("0")) return Duration.ZERO;
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("duration '" + text + "' is negative");
        }
        if (trimmed.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("duration '" + text + "' has no unit: write " + trimmed + "s, "
                    + trimmed + "m or " + trimmed + "ms");
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("duration '" + text
                    + "' is not a duration: expected something like 500ms, 10s, 5m, 1h or 1m30s");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(trimmed);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPer(m.group(2)))));
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long");
        }
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalStateException("unit " + unit + " is matched by the pattern but not priced");
        };
    }

    /** A duration as it would be typed: {@code 2m}, {@code 1m30s}, {@code 500ms}. */
    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        StringBuilder sb = new StringBuilder();
        long hours = d.toHours();
        if (hours > 0) sb.append(hours).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0) sb.append(d.toMillisPart()).append("ms");
        return sb.isEmpty() ? d.toNanos() + "ns" : sb.toString();
    }
}
