package dev.hypha.cli.parse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses resource quantities as people write them: cpu as millicores ({@code 250m}) or cores
 * ({@code 0.5}, {@code 2}), memory and disk with binary ({@code 64Mi}, {@code 1Gi}) or decimal
 * ({@code 512M}) suffixes, a plain number meaning MiB.
 *
 * <p>Hypha stores cpu in millicores and memory in MiB (as {@link dev.hypha.model.Resources} does),
 * so these return exactly those units. Memory that is not a whole number of MiB is rounded up:
 * a container never gets less than it asked for.
 */
public final class Quantities {
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)([A-Za-z]*)");
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal BYTES_PER_MIB = BigDecimal.valueOf(1024L * 1024);

    private Quantities() {}

    /** Cpu in millicores: {@code "250m"} → 250, {@code "0.5"} → 500, {@code "2"} → 2000. */
    public static long cpuMillicores(String text) {
        Matcher m = match("cpu", text, "millicores like 250m or cores like 0.5 or 2");
        BigDecimal number = new BigDecimal(m.group(1));
        BigDecimal millicores = switch (m.group(2)) {
            case "m" -> number;
            case "" -> number.multiply(THOUSAND);
            default -> throw new IllegalArgumentException("cpu '" + text + "' has an unknown unit '" + m.group(2)
                    + "': use millicores like 250m or cores like 0.5 or 2");
        };
        if (millicores.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("cpu '" + text + "' is finer than one millicore (1m = 0.001 cores)");
        }
        return exactLong("cpu", text, millicores);
    }

    /**
     * Memory (or disk) in MiB: {@code "64Mi"} → 64, {@code "1Gi"} → 1024, {@code "512M"} → 489
     * (512 000 000 bytes, rounded up), {@code "128"} → 128.
     */
    public static long memoryMib(String text) {
        return mib("memory", text);
    }

    /** Disk in MiB, with the same units as {@link #memoryMib}. */
    public static long diskMib(String text) {
        return mib("disk", text);
    }

    private static long mib(String what, String text) {
        Matcher m = match(what, text, "a size like 64Mi, 1Gi or 512M (a plain number is MiB)");
        BigDecimal number = new BigDecimal(m.group(1));
        if (m.group(2).isEmpty()) {
            if (number.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException(what + " '" + text + "' is a fraction of a MiB: add a unit, e.g. "
                        + m.group(1) + "Mi or " + m.group(1) + "Gi");
            }
            return exactLong(what, text, number);
        }
        BigDecimal bytes = number.multiply(BigDecimal.valueOf(bytesPerUnit(what, text, m.group(2))));
        return exactLong(what, text, bytes.divide(BYTES_PER_MIB, 0, RoundingMode.CEILING));
    }

    private static long bytesPerUnit(String what, String text, String unit) {
        return switch (unit) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "K", "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException(what + " '" + text + "' has an unknown unit '" + unit
                    + "': use Ki, Mi, Gi, Ti (powers of 1024) or K, M, G, T (powers of 1000)");
        };
    }

    private static Matcher match(String what, String text, String expected) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: expected " + expected);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException(what + " '" + text + "' is negative: expected " + expected);
        }
        Matcher m = NUMBER_AND_UNIT.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a quantity: expected " + expected);
        }
        return m;
    }

    private static long exactLong(String what, String text, BigDecimal value) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is too large");
        }
    }

    /** Millicores as a person reads them: {@code 250m}, or whole cores as {@code 2}. */
    public static String formatCpu(long millicores) {
        return millicores % 1000 == 0 && millicores != 0 ? Long.toString(millicores / 1000) : millicores + "m";
    }

    /** MiB as a person reads them: {@code 64Mi}, or {@code 8Gi} when it is a whole number of GiB. */
    public static String formatMib(long mib) {
        if (mib != 0 && mib % (1024L * 1024) == 0) return mib / (1024L * 1024) + "Ti";
        if (mib != 0 && mib % 1024 == 0) return mib / 1024 + "Gi";
        return mib + "Mi";
    }
}
