package dev.hypha.cli.output;

import static dev.hypha.cli.output.Fields.age;
import static dev.hypha.cli.output.Fields.at;
import static dev.hypha.cli.output.Fields.cell;
import static dev.hypha.cli.output.Fields.cpu;
import static dev.hypha.cli.output.Fields.credits;
import static dev.hypha.cli.output.Fields.fixed;
import static dev.hypha.cli.output.Fields.mib;
import static dev.hypha.cli.output.Fields.number;
import static dev.hypha.cli.output.Fields.present;
import static dev.hypha.cli.output.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.core.reputation.ReputationBook;
import dev.hypha.model.Reputation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The table views of the API's resources (INTERFACES.md shapes): one method per resource and
 * view, each taking the JSON the server sent and returning the text to print.
 */
public final class Views {
    private Views() {}

    // ---- workloads ------------------------------------------------------------------------

    public static String workloads(JsonNode list, Instant now) {
        Table t = Table.of("name", "ready", "image", "cpu", "memory", "member", "gen", "age");
        for (JsonNode w : list) {
            t.row(cell(w, "name"), ready(w), cell(w, "image"), cpu(w, "resources", "cpu_millicores"),
                    mib(w, "resources", "memory_mb"), cell(w, "member"), cell(w, "generation"),
                    age(w, now, "created_at"));
        }
        return t.isEmpty() ? "No workloads.\n" : t.render();
    }

    /** {@code ready/desired}, e.g. 2/3. */
    public static String ready(JsonNode w) {
        long desired = number(w, number(w, 0, "replicas"), "status", "desired_replicas");
        return number(w, 0, "status", "ready_replicas") + "/" + desired;
    }

    /** One workload in full, then its instances. */
    public static String workload(JsonNode w, JsonNode instances, Instant now) {
        Describe d = new Describe()
                .field("Name", cell(w, "name"))
                .field("Image", cell(w, "image"))
                .field("Command", joined(at(w, "command"), " "))
                .field("Replicas", number(w, 0, "replicas") + " desired, " + number(w, 0, "status", "ready_replicas") + " ready")
                .field("Resources", "cpu " + cpu(w, "resources", "cpu_millicores") + ", memory "
                        + mib(w, "resources", "memory_mb") + ", disk " + mib(w, "resources", "disk_mb"))
                .field("Restart", cell(w, "restart_policy"))
                .field("Member", cell(w, "member"))
                .field("Env", env(at(w, "env")))
                .field("Placement", placement(at(w, "placement")))
                .field("Generation", cell(w, "generation"));
        if (text(w, "owner") != null) d.field("Owner", text(w, "owner"));
        d.field("Created", created(w, now));
        StringBuilder sb = new StringBuilder(d.render());
        if (instances != null) {
            sb.append('\n').append("Instances:\n");
            sb.append(instances.isEmpty() ? "  none\n" : instanceTable(instances, now, false).render("  "));
        }
        return sb.toString();
    }

    private static String created(JsonNode n, Instant now) {
        String t = text(n, "created_at");
        return t == null ? "-" : t + " (" + age(n, now, "created_at") + " ago)";
    }

    private static String env(JsonNode env) {
        if (!env.isObject() || env.isEmpty()) return "-";
        List<String> pairs = new ArrayList<>();
        env.properties().forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(" ", pairs);
    }

    private static String placement(JsonNode p) {
        List<String> parts = new ArrayList<>();
        String regions = joined(at(p, "regions"), ", ");
        if (!regions.equals("-")) parts.add("regions " + regions);
        if (at(p, "prefer_high_reputation").asBoolean(false)) parts.add("prefers high reputation");
        return parts.isEmpty() ? "anywhere" : String.join("; ", parts);
    }

    private static String joined(JsonNode array, String sep) {
        if (!array.isArray() || array.isEmpty()) return "-";
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return String.join(sep, items);
    }

    // ---- instances ------------------------------------------------------------------------

    public static String instances(JsonNode list, Instant now) {
        return list.isEmpty() ? "No instances.\n" : instanceTable(list, now, true).render();
    }

    private static Table instanceTable(JsonNode list, Instant now, boolean withWorkload) {
        List<String> headers = new ArrayList<>(List.of("id", "workload", "node", "state", "restarts", "cpu", "memory", "age", "message"));
        if (!withWorkload) headers.remove("workload");
        Table t = Table.of(headers);
        for (JsonNode i : list) {
            List<Object> row = new ArrayList<>();
            row.add(cell(i, "id"));
            if (withWorkload) row.add(cell(i, "workload"));
            row.add(cell(i, "node_id"));
            row.add(cell(i, "state"));
            row.add(cell(i, "restarts"));
            JsonNode m = at(i, "metrics");
            row.add(present(at(m, "cpu_usage_percent")) ? fixed(m, 1, "cpu_usage_percent") + "%" : "-");
            row.add(mib(m, "memory_usage_mb"));
            row.add(age(i, now, text(i, "started_at") != null ? "started_at" : "created_at"));
            row.add(cell(i, "message"));
            t.row(row);
        }
        return t;
    }

    // ---- nodes and members ----------------------------------------------------------------

    /**
     * The node table. {@code memberBalances} (micro-credits by member) fills the CREDIT column;
     * a node's credit is its member's balance, since credit is held by members.
     */
    public static String nodes(JsonNode list, Map<String, Long> memberBalances) {
        Table t = Table.of("id", "member", "state", "region", "cpu", "memory", "load", "reputation", "credit");
        for (JsonNode n : list) {
            Long balance = memberBalances.get(text(n, "member"));
            t.row(cell(n, "id"), cell(n, "member"), cell(n, "state"), cell(n, "region"),
                    usage(n, "cpu_millicores", true), usage(n, "memory_mb", false), load(n),
                    reputationScore(n) < 0 ? "-" : String.format(Locale.ROOT, "%.2f", reputationScore(n)),
                    balance == null ? "-" : Fields.credits(balance));
        }
        return t.isEmpty() ? "No nodes.\n" : t.render();
    }

    /** {@code allocated/capacity}, e.g. 500m/4 or 128Mi/8Gi. */
    private static String usage(JsonNode n, String field, boolean isCpu) {
        if (!present(at(n, "capacity", field))) return "-";
        String cap = isCpu ? cpu(n, "capacity", field) : mib(n, "capacity", field);
        if (!present(at(n, "allocated", field))) return cap;
        String alloc = isCpu ? cpu(n, "allocated", field) : mib(n, "allocated", field);
        return alloc + "/" + cap;
    }

    /**
     * How full a node is: the larger of its cpu and memory allocation fractions (a node is full
     * when either runs out), or -1 when the node does not report allocations.
     */
    public static double loadFraction(JsonNode n) {
        double best = -1;
        for (String f : List.of("cpu_millicores", "memory_mb")) {
            long cap = number(n, 0, "capacity", f);
            JsonNode alloc = at(n, "allocated", f);
            if (cap > 0 && alloc.isNumber()) best = Math.max(best, alloc.asDouble() / cap);
        }
        return best;
    }

    private static String load(JsonNode n) {
        double l = loadFraction(n);
        return l < 0 ? "-" : Math.round(l * 100) + "%";
    }

    /**
     * One number for a node's reputation, as the server's reputation book weighs it
     * ({@link ReputationBook#overall}); -1 when the node carries no (readable) reputation.
     */
    public static double reputationScore(JsonNode n) {
        JsonNode r = at(n, "reputation");
        if (!r.isObject()) return -1;
        try {
            return ReputationBook.overall(new Reputation(Fields.decimal(r, 0.5, "reliability"),
                    Fields.decimal(r, 0.5, "resource_efficiency"), Fields.decimal(r, 0.5, "ecological_balance"),
                    Fields.decimal(r, 0.5, "contribution_ratio")));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    public static String node(JsonNode n) {
        Describe d = new Describe()
                .field("ID", cell(n, "id"))
                .field("Member", cell(n, "member"))
                .field("State", cell(n, "state"))
                .field("Region", cell(n, "region"))
                .field("Address", cell(n, "address"))
                .field("Capacity", resources(at(n, "capacity")))
                .field("Allocated", resources(at(n, "allocated")))
                .field("Load", load(n))
                .field("Cost per hour", cell(n, "cost_per_hour"))
                .field("Carbon intensity", present(at(n, "carbon_intensity")) ? cell(n, "carbon_intensity") + " gCO2/kWh" : "-")
                .field("Power", present(at(n, "power")) ? "idle " + cell(n, "power", "idle_watts") + " W, max "
                        + cell(n, "power", "max_watts") + " W" : "-");
        JsonNode r = at(n, "reputation");
        if (r.isObject()) {
            d.field("Reputation", String.format(Locale.ROOT, "%.2f", reputationScore(n)));
            r.properties().forEach(e -> d.field("  " + label(e.getKey()), e.getValue().isNumber()
                    ? String.format(Locale.ROOT, "%.2f", e.getValue().asDouble()) : e.getValue().asText()));
        }
        d.field("Registered", cell(n, "registered_at")).field("Last seen", cell(n, "last_seen"));
        return d.render();
    }

    private static String resources(JsonNode r) {
        if (!r.isObject()) return "-";
        return "cpu " + cpu(r, "cpu_millicores") + ", memory " + mib(r, "memory_mb") + ", disk " + mib(r, "disk_mb");
    }

    public static String members(JsonNode list) {
        Table t = Table.of("member", "balance", "credit-limit", "nodes");
        for (JsonNode m : list) {
            t.row(cell(m, "id"), credits(m, "balance"), credits(m, "credit_limit"), joined(at(m, "nodes"), ","));
        }
        return t.isEmpty() ? "No members.\n" : t.render();
    }

    // ---- intents --------------------------------------------------------------------------

    public static String intents(JsonNode list) {
        Table t = Table.of("id", "status", "workload", "replicas", "cost/h", "co2 g/h");
        for (JsonNode i : list) {
            t.row(cell(i, "id"), cell(i, "status"), cell(i, "workload"), cell(i, "plan", "replicas"),
                    fixed(i, 2, "plan", "estimated_cost_per_hour"), fixed(i, 1, "plan", "estimated_co2_grams_per_hour"));
        }
        return t.isEmpty() ? "No intents.\n" : t.render();
    }

    /** An intent's answer: its status (and why it is not satisfied), then the plan (placements, cost, carbon, unmet preferences). */
    public static String intent(JsonNode i) {
        Describe d = new Describe();
        for (String[] f : new String[][] {{"ID", "id"}, {"Intent", "intent"}, {"Status", "status"}, {"Why", "why"},
                {"Workload", "workload"}, {"Generation", "generation"}}) {
            if (text(i, f[1]) != null) d.field(f[0], text(i, f[1]));
        }
        StringBuilder sb = new StringBuilder(d.render());
        JsonNode plan = at(i, "plan");
        if (plan.isObject()) sb.append(sb.isEmpty() ? "" : "\n").append(plan(plan));
        return sb.toString();
    }

    /** The plan of an intent: what {@code intent create --dry-run} prints. */
    public static String plan(JsonNode plan) {
        StringBuilder sb = new StringBuilder();
        sb.append(new Describe()
                .field("Replicas", cell(plan, "replicas"))
                .field("Estimated cost", fixed(plan, 2, "estimated_cost_per_hour") + " per hour")
                .field("Estimated CO2", fixed(plan, 1, "estimated_co2_grams_per_hour") + " g per hour")
                .render());
        JsonNode placements = at(plan, "placements");
        if (placements.isArray() && !placements.isEmpty()) {
            Table t = Table.of("node", "region", "cost/h", "carbon g/kwh", "co2 g/h");
            for (JsonNode p : placements) {
                t.row(cell(p, "node_id"), cell(p, "region"), fixed(p, 2, "cost_per_hour"), Fields.plain(p, "carbon_intensity"),
                        fixed(p, 1, "co2_grams_per_hour"));
            }
            sb.append("\nPlacements:\n").append(t.render("  "));
        }
        JsonNode unmet = at(plan, "unmet_preferences");
        if (unmet.isArray() && !unmet.isEmpty()) {
            Table t = Table.of("preference", "why");
            for (JsonNode u : unmet) t.row(cell(u, "preference"), cell(u, "why"));
            sb.append("\nUnmet preferences:\n").append(t.render("  "));
        }
        return sb.toString();
    }

    // ---- explain --------------------------------------------------------------------------

    /**
     * The placement decisions of a workload as a report: per decision the outcome and chosen
     * node, the candidate table with one column per score plugin, then why nodes were rejected
     * (counts per reason, then the sampled rejections).
     */
    public static String explain(JsonNode e) {
        String workload = cell(e, "workload");
        List<JsonNode> decisions = newestFirst(at(e, "decisions"));
        if (decisions.isEmpty()) {
            return "No placement decisions recorded for " + workload + " yet.\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Workload ").append(workload).append(": ").append(decisions.size())
                .append(decisions.size() == 1 ? " placement decision" : " placement decisions").append(", newest first.\n");
        for (JsonNode d : decisions) {
            sb.append('\n').append(decision(d));
        }
        return sb.toString();
    }

    /** The decisions sorted by their {@code at} instant, newest first (undated ones last, in given order). */
    private static List<JsonNode> newestFirst(JsonNode decisions) {
        List<JsonNode> list = new ArrayList<>();
        if (decisions.isArray()) decisions.forEach(list::add);
        list.sort(java.util.Comparator.comparing((JsonNode d) -> instant(d, "at"),
                java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        return list;
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        if (t == null) return null;
        try {
            return Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String decision(JsonNode d) {
        StringBuilder sb = new StringBuilder();
        String outcome = cell(d, "outcome");
        String instance = text(d, "instance_id");
        sb.append(instance == null ? "A new replica" : "Instance " + instance);
        if (text(d, "at") != null) sb.append(" at ").append(text(d, "at"));
        sb.append(": ");
        if (text(d, "node_id") != null) {
            sb.append(outcome).append(" to node ").append(text(d, "node_id"));
        } else {
            sb.append(outcome.equals("-") ? "not placed" : outcome).append(", no node fits");
        }
        sb.append('\n');
        sb.append("  profile ").append(cell(d, "profile")).append(", ").append(cell(d, "nodes_evaluated"))
                .append(" of ").append(cell(d, "nodes_total")).append(" nodes evaluated\n");

        JsonNode candidates = at(d, "top_candidates");
        if (candidates.isArray() && !candidates.isEmpty()) {
            TreeSet<String> plugins = new TreeSet<>();
            for (JsonNode c : candidates) at(c, "scores").fieldNames().forEachRemaining(plugins::add);
            List<String> headers = new ArrayList<>(List.of("node", "total"));
            headers.addAll(plugins);
            Table t = Table.of(headers);
            for (JsonNode c : candidates) {
                List<Object> row = new ArrayList<>();
                row.add(cell(c, "node_id"));
                row.add(fixed(c, 2, "total"));
                for (String p : plugins) row.add(fixed(c, 2, "scores", p));
                t.row(row);
            }
            sb.append("  Candidates (best first):\n").append(t.render("    "));
        } else {
            sb.append("  No node passed the filters.\n");
        }

        List<Map.Entry<String, Integer>> counts = rejectionCounts(d);
        if (!counts.isEmpty()) {
            Table t = Table.of("nodes", "reason");
            for (Map.Entry<String, Integer> en : counts) t.row(en.getValue(), en.getKey());
            sb.append("  Rejected:\n").append(t.render("    "));
        }
        JsonNode rejections = at(d, "rejections");
        if (rejections.isArray() && !rejections.isEmpty()) {
            Table t = Table.of("node", "plugin", "reason");
            for (JsonNode r : rejections) t.row(cell(r, "node_id"), cell(r, "plugin"), cell(r, "reason"));
            sb.append("  Rejections (sample):\n").append(t.render("    "));
        }
        return sb.toString();
    }

    /**
     * Why a workload has no placement, in one line from its newest unplaceable decision, e.g.
     * "no node fits: resource-fit: insufficient memory (3 nodes)"; null when every decision placed.
     */
    public static String unplaceableReason(JsonNode explain) {
        for (JsonNode d : newestFirst(at(explain, "decisions"))) {
            if (text(d, "node_id") != null) continue;
            List<String> reasons = new ArrayList<>();
            for (Map.Entry<String, Integer> en : rejectionCounts(d)) {
                reasons.add(en.getKey() + " (" + en.getValue() + (en.getValue() == 1 ? " node)" : " nodes)"));
            }
            return "no node fits" + (reasons.isEmpty() ? "" : ": " + String.join(", ", reasons));
        }
        return null;
    }

    /** A decision's rejection counts, most frequent reason first (then by reason). */
    private static List<Map.Entry<String, Integer>> rejectionCounts(JsonNode decision) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        at(decision, "rejection_counts").properties().forEach(e -> entries.add(Map.entry(e.getKey(), e.getValue().asInt())));
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return entries;
    }

    // ---- generic --------------------------------------------------------------------------

    /**
     * Any JSON object as an aligned list of labelled fields, nested objects indented: for
     * answers with no dedicated view (credit balance, reputation, pledges).
     */
    public static String describe(JsonNode value) {
        if (!value.isObject()) return value.isTextual() ? value.asText() + "\n" : Printer.json(value) + "\n";
        Describe d = new Describe();
        addFields(d, value, "");
        return d.render();
    }

    private static void addFields(Describe d, JsonNode obj, String indent) {
        obj.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isObject() && !v.isEmpty()) {
                d.field(indent + label(e.getKey()), "");
                addFields(d, v, indent + "  ");
            } else if (v.isArray()) {
                d.field(indent + label(e.getKey()), v.isEmpty() ? "-" : joinedScalars(v));
            } else {
                d.field(indent + label(e.getKey()), present(v) ? scalar(v) : "-");
            }
        });
    }

    private static String joinedScalars(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.isValueNode() ? scalar(i) : i.toString()));
        return String.join(", ", items);
    }

    private static String scalar(JsonNode v) {
        if (v.isFloatingPointNumber()) {
            return new java.math.BigDecimal(v.asText()).stripTrailingZeros().toPlainString();
        }
        return v.asText();
    }

    /** {@code pledged_out} → "Pledged out". */
    static String label(String key) {
        String words = key.replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** An aligned "Label:  value" list (kubectl describe's look). */
    static final class Describe {
        private final List<String[]> fields = new ArrayList<>();

        Describe field(String label, String value) {
            fields.add(new String[] {label, value});
            return this;
        }

        String render() {
            int width = fields.stream().mapToInt(f -> f[0].length()).max().orElse(0) + 3;
            StringBuilder sb = new StringBuilder();
            for (String[] f : fields) {
                String line = (f[0] + ":" + " ".repeat(width - f[0].length() - 1)) + f[1];
                sb.append(line.stripTrailing()).append('\n');
            }
            return sb.toString();
        }
    }
}
