package dev.hypha.cli.output;

/** The {@code -o} choices: {@code table} for people (default), {@code json} and {@code yaml} for scripts. */
public enum OutputFormat {
    TABLE, JSON, YAML
}
