package dev.hypha.cli.commands;

import dev.hypha.cli.CliContext;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.client.Endpoint;
import dev.hypha.cli.output.OutputFormat;
import dev.hypha.cli.output.Printer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every client verb shares ({@code --server}, {@code --token}, {@code -o}), mixed
 * into each verb, and the client and printer they lead to.
 */
public final class ClientOptions {
    private final CliContext context;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--server", paramLabel = "URL",
            description = "API server URL (default: $HYPHA_SERVER, else http://127.0.0.1:7070).")
    private String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token (default: $HYPHA_TOKEN, else the contents of ~/.hypha/admin.token).")
    private String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: table (default), json or yaml.")
    private OutputFormat output;

    public ClientOptions(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    /** The resolved server and token; a malformed {@code --server} is a usage error. */
    public Endpoint endpoint() {
        try {
            return Endpoint.resolve(server, token, context.env(), context.home());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** A client for the resolved endpoint; close it when done. */
    public ApiClient client() {
        return new ApiClient(endpoint());
    }

    public OutputFormat format() {
        return output;
    }

    public Printer printer() {
        return new Printer(context.out(), output);
    }

    /** A usage error reported against the verb this mixin is part of (exit code 2). */
    public ParameterException usageError(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
