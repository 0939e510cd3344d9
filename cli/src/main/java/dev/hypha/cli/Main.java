package dev.hypha.cli;

import dev.hypha.cli.commands.ApplyCommand;
import dev.hypha.cli.commands.BenchCommand;
import dev.hypha.cli.commands.ImageCommand;
import dev.hypha.cli.commands.InstanceCommand;
import dev.hypha.cli.commands.IntentCommand;
import dev.hypha.cli.commands.LogsCommand;
import dev.hypha.cli.commands.MemberCommand;
import dev.hypha.cli.commands.NodeCommand;
import dev.hypha.cli.commands.WorkloadCommand;
import dev.hypha.cli.roles.AgentCommand;
import dev.hypha.cli.roles.ServerCommand;
import dev.hypha.cli.roles.UpCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hypha} executable's entry point: builds the command tree around a
 * {@link CliContext} and maps outcomes to exit codes (0 done, 1 failed, 2 usage error).
 *
 * <p>Tests call {@link #run(CliContext, String...)} with their own context, in-process.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(CliContext.system(), args));
    }

    /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
    public static int run(CliContext context, String... args) {
        try {
            return commandLine(context).execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    /** A fresh command tree bound to {@code context}. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cl = new CommandLine(new HyphaCommand(), new ContextFactory(context));
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd, context));
        return cl;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (!cmd.getSubcommands().isEmpty()
                && ex.getMessage().startsWith("Missing required subcommand")) {
            // "hypha workload" alone: show what it can do.
            cmd.usage(err);
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        err.println("hypha: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static int failure(Exception ex, CommandLine cmd, CliContext context) throws Exception {
        if (ex instanceof CommandLine.ParameterException pe) {
            return usageError(pe, new String[0]);
        }
        PrintWriter err = context.err();
        if (ex instanceof CliException) {
            err.println("hypha: " + ex.getMessage());
        } else {
            err.println("hypha: unexpected error: " + ex);
            if (context.env().containsKey("HYPHA_DEBUG")) ex.printStackTrace(err);
            else err.println("hypha: set HYPHA_DEBUG=1 to see the stack trace");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The top command: only subcommands, {@code --help} and {@code --version}. */
    @Command(name = "hypha", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
            versionProvider = VersionProvider.class,
            description = "Hypha: a container orchestrator for cooperative clusters.%n"
                    + "Start a one-machine cluster with 'hypha up', then talk to it with the client verbs.",
            subcommands = {
                    UpCommand.class, ServerCommand.class, AgentCommand.class,
                    WorkloadCommand.class, InstanceCommand.class, LogsCommand.class, ApplyCommand.class,
                    NodeCommand.class, MemberCommand.class, IntentCommand.class, ImageCommand.class,
                    dev.hypha.cli.commands.SimulateCommand.class, BenchCommand.class,
                    CommandLine.HelpCommand.class})
    static final class HyphaCommand {}
}
