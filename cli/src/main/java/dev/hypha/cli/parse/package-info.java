/**
 * Parsers for what people type on the command line: cpu and memory quantities, durations and
 * {@code key=value} lists, each failing with a message that says what was expected. Picocli
 * converters wrap them so a bad value is a usage error (exit 2), not a failed request.
 */
package dev.hypha.cli.parse;
