package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.CliContext;
import dev.hypha.cli.CliException;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.client.ApiException;
import dev.hypha.cli.output.Fields;
import dev.hypha.cli.output.Views;
import dev.hypha.cli.parse.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code --wait} does: polls a workload until {@code target} replicas are ready, printing a
 * progress line to stderr each time the count changes ("web: 1/3 ready"), and on timeout fails
 * with what the instances and the scheduler say is in the way.
 */
final class ReadyWait {
    /** At most this many instance messages go into a timeout message; the rest are counted. */
    private static final int MAX_REASONS = 5;

    private ReadyWait() {}

    static void await(ApiClient api, CliContext ctx, String name, int target, Duration timeout) {
        String path = "/api/v1/workloads/" + ApiClient.segment(name);
        long deadline = ctx.clock().millis() + timeout.toMillis();
        String lastLine = null;
        while (true) {
            JsonNode w;
            try {
                w = api.get(path);
            } catch (ApiException e) {
                if (e.isNotFound()) throw new CliException(name + " was deleted while waiting for it to be ready");
                throw e;
            }
            long ready = Fields.number(w, 0, "status", "ready_replicas");
            long desired = Fields.number(w, Fields.number(w, -1, "replicas"), "status", "desired_replicas");
            String line = name + ": " + ready + "/" + target + " ready";
            if (!line.equals(lastLine)) {
                ctx.err().println(line);
                ctx.err().flush();
                lastLine = line;
            }
            if (ready == target && desired == target) return;
            if (ctx.clock().millis() >= deadline) {
                throw new CliException(name + ": timed out after " + Durations.format(timeout) + " with " + ready + "/"
                        + target + " ready" + whyNotReady(api, name));
            }
            pause(ctx.pollInterval());
        }
    }

    /** "; " + the instances' complaints and the scheduler's reason, or "" when nobody says. */
    private static String whyNotReady(ApiClient api, String name) {
        Set<String> reasons = new LinkedHashSet<>();
        int more = 0;
        try {
            for (JsonNode i : api.get("/api/v1/workloads/" + ApiClient.segment(name) + "/instances")) {
                String state = Fields.text(i, "state");
                if ("running".equals(state)) continue;
                String message = Fields.text(i, "message");
                String reason = Fields.cell(i, "id") + " is " + (state == null ? "in an unknown state" : state)
                        + (message == null || message.isBlank() ? "" : ": " + message);
                if (reasons.size() < MAX_REASONS) reasons.add(reason);
                else more++;
            }
        } catch (CliException e) {
            reasons.add("the instances could not be read: " + e.getMessage());
        }
        try {
            String unplaceable = Views.unplaceableReason(api.get("/api/v1/workloads/" + ApiClient.segment(name) + "/explain"));
            if (unplaceable != null) reasons.add(unplaceable);
        } catch (CliException e) {
            // explain is extra detail for the message; the timeout itself is the failure to report
        }
        List<String> all = new ArrayList<>(reasons);
        if (more > 0) all.add("and " + more + " more instances not running");
        return all.isEmpty() ? "" : "; " + String.join("; ", all);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting");
        }
    }
}
