package dev.hypha.model;

import java.util.regex.Pattern;

/** Shared checks for names and bounds; failures throw {@link InvalidSpecException} with a sentence a person understands. */
public final class Validation {
    /** Names: lowercase letters, digits and '-', 1–63 characters, starting with a letter (INTERFACES.md). */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private Validation() {}

    public static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidSpecException(field + " is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new InvalidSpecException(field + " '" + value + "' is not a valid name: use 1-63 lowercase"
                    + " letters, digits and '-', starting with a letter");
        }
        return value;
    }

    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSpecException(field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public static String nonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException(field + " is required and must not be empty");
        }
        return value;
    }
}
