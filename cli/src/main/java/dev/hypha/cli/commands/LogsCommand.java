package dev.hypha.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Printer;
import dev.hypha.model.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hypha logs INSTANCE [-f]}: an instance's output, as it arrives with {@code -f}. With
 * {@code -o json} each line is one JSON object ({@code {"instance", "line"}}, JSON Lines); with
 * {@code -o yaml} each line is one item of a YAML list, so both stream.
 */
@Command(name = "logs", description = "Print an instance's logs; -f follows them.")
public final class LogsCommand implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Parameters(index = "0", paramLabel = "INSTANCE", description = "Instance id, e.g. web-7f3a.")
    String instance;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Override
    public Integer call() {
        PrintWriter out = client.context().out();
        String path = "/api/v1/instances/" + ApiClient.segment(instance) + "/logs" + (follow ? "?follow=true" : "");
        try (ApiClient api = client.client()) {
            api.streamLines(path, line -> {
                out.print(render(line));
                out.flush();
            });
        }
        return 0;
    }

    private String render(String line) {
        try {
            return switch (client.format()) {
                case TABLE -> line + "\n";
                case JSON -> {
                    ObjectNode o = Json.mapper().createObjectNode();
                    o.put("instance", instance);
                    o.put("line", line);
                    yield Json.mapper().writeValueAsString(o) + "\n";
                }
                case YAML -> Printer.yaml(Json.mapper().valueToTree(List.of(line)));
            };
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
