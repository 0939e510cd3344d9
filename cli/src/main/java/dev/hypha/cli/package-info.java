/**
 * The {@code hypha} executable: one picocli command tree holding the roles ({@code up},
 * {@code server}, {@code agent}) and the client verbs ({@code workload}, {@code node}, …) of
 * INTERFACES.md. {@link dev.hypha.cli.Main} builds the tree around a {@link dev.hypha.cli.CliContext}
 * (environment, home, output streams, clock), so tests run every verb in-process.
 */
package dev.hypha.cli;
