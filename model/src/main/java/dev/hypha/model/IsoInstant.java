package dev.hypha.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes and reads instants in the exact form of {@link java.time.format.DateTimeFormatter#ISO_INSTANT}
 * ({@code 2025-06-01T12:00:00.250Z}) without the general formatter, for years 0000 to 9999.
 *
 * <p>Why: every stored record and every agent report carries instants, and the general
 * formatter's printing and parsing (a chain of printer-parsers, a resolver, a temporal map per
 * call) cost more than the rest of a record's JSON, and compiling them took the JIT seconds of
 * CPU on a busy server. Here an instant is a few divisions; anything outside the plain form
 * (other years, offsets, lower-case letters, leap seconds) is left to the general formatter.
 */
final class IsoInstant {
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the years written with four digits. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long END_SECOND = 253_402_300_800L;

    private IsoInstant() {}

    /** The instant as {@code ISO_INSTANT} writes it. */
    static String format(Instant t) {
        long secs = t.getEpochSecond();
        if (secs < FIRST_SECOND || secs >= END_SECOND) return t.toString();
        long days = Math.floorDiv(secs, 86_400);
        int secOfDay = (int) Math.floorMod(secs, 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        int nano = t.getNano();
        char[] out = new char[30];
        int at = digits(out, 0, date.getYear(), 4);
        out[at++] = '-';
        at = digits(out, at, date.getMonthValue(), 2);
        out[at++] = '-';
        at = digits(out, at, date.getDayOfMonth(), 2);
        out[at++] = 'T';
        at = digits(out, at, secOfDay / 3600, 2);
        out[at++] = ':';
        at = digits(out, at, secOfDay / 60 % 60, 2);
        out[at++] = ':';
        at = digits(out, at, secOfDay % 60, 2);
        if (nano != 0) {
            // Groups of three digits, as many as needed: .250, .250100, .250100007
            out[at++] = '.';
            if (nano % 1_000_000 == 0) at = digits(out, at, nano / 1_000_000, 3);
            else if (nano % 1_000 == 0) at = digits(out, at, nano / 1_000, 6);
            else at = digits(out, at, nano, 9);
        }
        out[at++] = 'Z';
        return new String(out, 0, at);
    }

    private static int digits(char[] out, int at, int value, int width) {
        for (int k = width - 1; k >= 0; k--) {
            out[at + k] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /**
     * The instant {@code text} names when it has the plain form {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}
     * (one to nine fraction digits) and is a valid date and time; null otherwise, for the general
     * parser to accept or reject.
     */
    static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z') return null;
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) return null;
        int nano = 0;
        if (n > 20) {
            if (text.charAt(19) != '.') return null;
            int fraction = number(text, 20, n - 21);
            if (fraction < 0) return null;
            nano = fraction;
            for (int k = n - 21; k < 9; k++) nano *= 10;
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException invalidDate) {
            return null;
        }
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nano);
    }

    /** The decimal number in {@code text[from, from + width)}, or -1 when a character is not a digit. */
    private static int number(String text, int from, int width) {
        int value = 0;
        for (int k = from; k < from + width; k++) {
            char c = text.charAt(k);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
