package dev.hypha.server.economy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.CreditStanding;
import dev.hypha.core.reputation.ReputationBook;
import dev.hypha.model.Json;
import dev.hypha.model.Member;
import dev.hypha.model.Node;
import dev.hypha.model.Reputation;
import dev.hypha.model.economy.LedgerEntry;
import dev.hypha.server.api.ApiException;
import dev.hypha.server.api.ApiServer;
import dev.hypha.server.api.Bodies;
import dev.hypha.server.api.RouteModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The economy's HTTP endpoints (INTERFACES.md): credit balance and reputation per node, members,
 * the ledger, and manual pledges. Authentication and problem+json errors are the
 * {@link ApiServer}'s; every read answers from the current {@link EconomyView}.
 *
 * <pre>
 * GET  /api/v1/nodes/{id}/credit_balance   {node_id, member, pledged_out, received_in, reputation_score, member_balance, …}
 * GET  /api/v1/nodes/{id}/reputation       {reliability, resource_efficiency, ecological_balance, contribution_ratio, score, trust, …}
 * POST /api/v1/nodes/{id}/pledge           {to_workload, cpu_millicores, memory_mb, disk_mb, duration_seconds} → 201
 * GET  /api/v1/members                     [{id, balance, credit_limit, nodes, …}]
 * GET  /api/v1/ledger                      [LedgerEntry] (?member=M)
 * </pre>
 * Amounts of credit are integers of micro-credits (1 credit = 1,000,000).
 */
public final class EconomyRoutes implements RouteModule {
    private final EconomyService economy;

    public EconomyRoutes(EconomyService economy) {
        this.economy = economy;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/nodes/{id}/credit_balance", this::creditBalance);
        routes.get("/api/v1/nodes/{id}/reputation", this::reputation);
        routes.post("/api/v1/nodes/{id}/pledge", this::pledge);
        routes.get("/api/v1/members", this::members);
        routes.get("/api/v1/ledger", this::ledger);
    }

    private EconomyView viewWith(String id) {
        return economy.viewKnowing(id).orElseThrow(() -> ApiException.notFound("node '" + id + "' does not exist"));
    }

    private void creditBalance(Context ctx) {
        EconomyView view = viewWith(ctx.pathParam("id"));
        Node node = view.nodes().get(ctx.pathParam("id"));
        ObjectNode o = Json.mapper().valueToTree(view.creditBalance(node));
        CreditPolicy.Limits limits = view.creditPolicy().limitsOf(node.member());
        o.put("soft_limit", limits.soft());
        o.put("credit_limit", limits.hard());
        o.put("standing", standing(view.standingOf(node.member())));
        ApiServer.json(ctx, o);
    }

    private void reputation(Context ctx) {
        EconomyView view = viewWith(ctx.pathParam("id"));
        Node node = view.nodes().get(ctx.pathParam("id"));
        Reputation r = view.reputationOf(node.id());
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("node_id", node.id());
        o.put("reliability", r.reliability());
        o.put("resource_efficiency", r.resourceEfficiency());
        o.put("ecological_balance", r.ecologicalBalance());
        o.put("contribution_ratio", r.contributionRatio());
        o.put("score", ReputationBook.overall(r));
        view.assessment(node.id()).ifPresent(a -> {
            o.put("trust", a.trust());
            o.put("credibility", a.credibility());
            o.put("voice", a.voice());
            o.put("evidence", a.evidence());
            o.put("observers", a.observers());
        });
        o.put("computed_at", view.at().toString());
        ApiServer.json(ctx, o);
    }

    private void pledge(Context ctx) {
        PledgeRequest req = Bodies.parse(ApiServer.body(ctx), PledgeRequest.class);
        EconomyService.ManualPledge done = economy.pledge(ctx.pathParam("id"), req.toWorkload(), req.resources(),
                req.duration());
        ObjectNode o = Json.mapper().createObjectNode();
        o.set("pledge", Json.mapper().valueToTree(done.pledge()));
        o.set("entry", Json.mapper().valueToTree(done.entry()));
        o.put("expires_at", done.entry().periodEnd().toString());
        ctx.status(201);
        ApiServer.json(ctx, o);
    }

    private void members(Context ctx) {
        EconomyView view = economy.view();
        List<ObjectNode> out = new ArrayList<>();
        for (Member m : view.members()) {
            ObjectNode o = Json.mapper().valueToTree(m);
            var account = view.ledger().account(m.id());
            o.put("given", account.given());
            o.put("taken", account.taken());
            o.put("soft_limit", view.creditPolicy().limitsOf(m.id()).soft());
            o.put("standing", standing(view.standingOf(m.id())));
            out.add(o);
        }
        ApiServer.json(ctx, out);
    }

    private void ledger(Context ctx) {
        EconomyView view = economy.view();
        String member = ctx.queryParam("member");
        List<LedgerEntry> entries = member == null || member.isBlank() ? view.ledger().entries()
                : view.ledger().entriesOf(member);
        ApiServer.json(ctx, entries);
    }

    /** {@code ok}, {@code low_priority} or {@code refused}. */
    static String standing(CreditStanding s) {
        return switch (s) {
            case CreditStanding.Ok ok -> "ok";
            case CreditStanding.LowPriority low -> "low_priority";
            case CreditStanding.Refused refused -> "refused";
        };
    }
}
