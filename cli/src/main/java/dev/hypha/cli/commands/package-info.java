/**
 * The client verbs of INTERFACES.md ({@code workload}, {@code instance}, {@code logs},
 * {@code apply}, {@code node}, {@code member}, {@code intent}, {@code image}): each parses its
 * flags, makes one or a few API calls through {@link dev.hypha.cli.client.ApiClient} and prints the
 * answer with {@link dev.hypha.cli.output.Printer}.
 */
package dev.hypha.cli.commands;
