package dev.hypha.cli.commands;

import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hypha member list}: the members of the cooperative, their credit balance and nodes. */
@Command(name = "member", description = "List members with their credit balance and nodes.",
        subcommands = MemberCommand.ListMembers.class)
public final class MemberCommand {
    @Command(name = "list", description = "List members (balances in credits).")
    static final class ListMembers implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get("/api/v1/members"), Views::members);
            }
            return 0;
        }
    }
}
