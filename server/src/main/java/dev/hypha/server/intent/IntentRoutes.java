package dev.hypha.server.intent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.server.api.ApiException;
import dev.hypha.server.api.ApiServer;
import dev.hypha.server.api.Bodies;
import dev.hypha.server.api.RouteModule;
import dev.hypha.store.StateStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The intent endpoints of INTERFACES.md, as a route module of the API server, so they answer with
 * its authentication, size limit and problem+json errors:
 * <pre>
 *   POST   /api/v1/intents        IntentSpec → 201 IntentResponse | 200 (dry_run) | 400 | 409 | 422
 *   GET    /api/v1/intents        [IntentResponse], oldest first
 *   GET    /api/v1/intents/{id}   IntentResponse | 404
 *   PUT    /api/v1/intents/{id}   IntentSpec → 200 IntentResponse (the next generation, or as it was when
 *                                 the spec is the same) | 200 (dry_run) | 400 | 404 | 422
 *   DELETE /api/v1/intents/{id}   {"deleted": id, "workload": name} | 404; the workload goes too
 * </pre>
 *
 * <p>A 422 is a problem document whose {@code detail} names the constraint that cannot be met and
 * the best the cluster allows, with two extension members (RFC 9457 §3.2) for programs:
 * {@code constraint}, the field to relax, and {@code best_possible}, the plan with the most
 * replicas the cluster allows.
 */
public final class IntentRoutes implements RouteModule {
    private final StateStore store;
    private final IntentAdmission admission;

    public IntentRoutes(StateStore store, InstantSource clock) {
        this(store, new IntentAdmission(store, clock));
    }

    IntentRoutes(StateStore store, IntentAdmission admission) {
        this.store = store;
        this.admission = admission;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/intents", this::create);
        routes.get("/api/v1/intents", ctx -> ApiServer.json(ctx, store.intents().values().stream()
                .sorted(Comparator.comparing(Intent::createdAt).thenComparing(Intent::id))
                .map(IntentResponse::of).toList()));
        routes.get("/api/v1/intents/{id}", ctx -> ApiServer.json(ctx, IntentResponse.of(intent(ctx.pathParam("id")))));
        routes.put("/api/v1/intents/{id}", this::replace);
        routes.delete("/api/v1/intents/{id}", ctx -> {
            IntentAdmission.Deleted d = admission.delete(ctx.pathParam("id"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deleted", d.id());
            body.put("workload", d.workload());
            ApiServer.json(ctx, body);
        });
    }

    private void create(Context ctx) {
        byte[] body = ApiServer.body(ctx);
        IntentSpec spec = Bodies.parse(body, IntentSpec.class);
        answer(ctx, admission.admit(spec, namesItsWorkload(body)));
    }

    private void replace(Context ctx) {
        byte[] body = ApiServer.body(ctx);
        IntentSpec spec = Bodies.parse(body, IntentSpec.class);
        answer(ctx, admission.replace(ctx.pathParam("id"), spec, namesItsWorkload(body)));
    }

    private static void answer(Context ctx, IntentAdmission.Admission admission) {
        switch (admission) {
            case IntentAdmission.Created c -> {
                ctx.status(201);
                ApiServer.json(ctx, IntentResponse.of(c.intent()));
            }
            case IntentAdmission.Replaced r -> ApiServer.json(ctx, IntentResponse.of(r.intent()));
            case IntentAdmission.Planned p -> ApiServer.json(ctx, IntentResponse.dryRun(p.spec(), p.plan()));
            case IntentAdmission.Refused r -> {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("type", "about:blank");
                problem.put("title", "Unprocessable Content");
                problem.put("status", 422);
                problem.put("detail", r.result().detail());
                problem.put("constraint", r.result().constraint());
                problem.put("best_possible", r.result().bestPossible());
                ctx.status(422).contentType("application/problem+json").result(Json.bytes(problem));
            }
        }
    }

    /** Whether the request named the workload (a body that parsed as an IntentSpec is a JSON object). */
    private static boolean namesItsWorkload(byte[] body) {
        try {
            JsonNode name = Json.mapper().readTree(body).get("name");
            return name != null && !name.isNull();
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    private Intent intent(String id) {
        return store.intents().value(id).orElseThrow(() -> ApiException.notFound("intent '" + id + "' does not exist"));
    }
}
