package dev.hypha.server.intent;

import dev.hypha.core.intent.IntentEvaluation;
import dev.hypha.core.intent.IntentEvaluator;
import dev.hypha.core.intent.IntentPlanner;
import dev.hypha.core.intent.PlanResult;
import dev.hypha.model.Instance;
import dev.hypha.model.Json;
import dev.hypha.model.Workload;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.server.api.ApiException;
import dev.hypha.server.control.ClusterView;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.KvStore.Compare;
import dev.hypha.spi.KvStore.Op;
import dev.hypha.store.StateStore;
import dev.hypha.store.Versioned;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Lets intents in and out of the store: plans a new intent on the cluster as it is now and refuses
 * it, answers with the plan (dry run), or stores it; deletes an intent with its workload.
 *
 * <p>An intent and the workload it owns are written in one transaction, which also requires that
 * neither key exists: a crash leaves both or neither, and two requests racing for one name cannot
 * both win. Nothing is written unless the plan is feasible and the request is not a dry run.
 *
 * <p>Workload names: a name the request gives is kept, and a clash with an existing workload is
 * refused (409), since the person chose it; a name derived from the image (no {@code name} in the
 * request) becomes the first free of {@code NAME}, {@code NAME-2}, {@code NAME-3} …, so two
 * intents for one image both go through. Thread-safe.
 */
public final class IntentAdmission {
    /** Reads and writes are retried this many times when a concurrent write takes the name or the id. */
    static final int ATTEMPTS = 5;
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final StateStore store;
    private final InstantSource clock;
    private final RandomGenerator random;

    public IntentAdmission(StateStore store, InstantSource clock) {
        this(store, clock, new SecureRandom());
    }

    IntentAdmission(StateStore store, InstantSource clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** What became of a submitted intent. */
    public sealed interface Admission permits Created, Replaced, Planned, Refused {}

    /** Stored, with its workload. */
    public record Created(Intent intent) implements Admission {}

    /** An existing intent given a new spec and the plan for it; {@code changed} is false when the spec was the same. */
    public record Replaced(Intent intent, boolean changed) implements Admission {}

    /** A dry run: the plan the intent would get; nothing stored. */
    public record Planned(IntentSpec spec, IntentPlan plan) implements Admission {}

    /** No plan meets the hard constraints; nothing stored. */
    public record Refused(IntentSpec spec, PlanResult.Infeasible result) implements Admission {}

    /** A deleted intent and the workload deleted with it (null when it owned none). */
    public record Deleted(String id, String workload) {}

    /**
     * Plans {@code requested} and, when feasible and not a dry run, stores it with its workload.
     *
     * @param nameGiven whether the request named the workload itself (then a clash is a 409)
     * @throws ApiException 409 when the given name is taken
     */
    public Admission admit(IntentSpec requested, boolean nameGiven) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // 1. Read the cluster (the revision first, so the snapshot is at least that new).
            long revision = store.kv().revision();
            Map<String, Workload> workloads = store.workloads().values().stream()
                    .collect(Collectors.toMap(Workload::name, Function.identity()));
            ClusterSnapshot cluster = new ClusterView(store.nodes().values(), store.instances().values(), Map.of(),
                    Map.of(), revision).snapshot();

            // 2. Name the workload, then plan.
            IntentSpec spec = requested.withName(freeName(requested.name(), nameGiven, workloads));
            PlanResult result = IntentPlanner.plan(spec, cluster);
            if (result instanceof PlanResult.Infeasible infeasible) return new Refused(spec, infeasible);
            if (spec.dryRun()) return new Planned(spec, result.plan());

            // 3. Store the intent and its workload in one transaction; nothing runs yet, which the status says.
            Instant now = clock.instant();
            String id = newId();
            Intent draft = Intent.create(id, spec, result.plan(), IntentStatus.SATISFIED, null, now);
            IntentEvaluation first = IntentEvaluator.evaluate(draft, cluster, List.of());
            Intent intent = Intent.create(id, spec, result.plan(), first.status(), first.why(), now);
            Workload workload = Workload.create(OwnedWorkload.specFor(intent), now, id);
            String intentKey = store.intents().key(id);
            String workloadKey = store.workloads().key(spec.name());
            boolean stored = store.kv().txn(
                    List.of(Compare.absent(intentKey), Compare.absent(workloadKey)),
                    List.of(new Op.Put(intentKey, Json.bytes(intent)), new Op.Put(workloadKey, Json.bytes(workload))),
                    List.of()).succeeded();
            if (stored) return new Created(intent);
            // Lost a race for the name (or, rarely, the id): read again and choose again.
        }
        throw ApiException.conflict("workload name '" + requested.name() + "' was taken by other requests "
                + ATTEMPTS + " times while this intent was being created; try again");
    }

    /**
     * Gives intent {@code id} a new spec: plans it as a re-plan would (its own replicas' resources
     * count as free) and, when feasible and not a dry run, stores it as the next generation. The
     * intent keeps its id and its workload, which the intent controller then brings in line with
     * the new plan (a changed image or command replaces the replicas one at a time). The same spec
     * again changes nothing, so applying one file twice is harmless.
     *
     * @param nameGiven whether the request named the workload; then it must be the intent's own
     * @throws ApiException 404 when there is no such intent, 400 when the request renames its workload
     */
    public Admission replace(String id, IntentSpec requested, boolean nameGiven) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long revision = store.kv().revision();
            Versioned<Intent> stored = store.intents().get(id)
                    .orElseThrow(() -> ApiException.notFound("intent '" + id + "' does not exist"));
            Intent intent = stored.value();
            if (nameGiven && !requested.name().equals(intent.workload())) {
                throw ApiException.badRequest("intent '" + id + "' runs workload '" + intent.workload()
                        + "', which cannot be renamed to '" + requested.name()
                        + "'; leave name out, or create a new intent and delete this one");
            }
            IntentSpec spec = requested.withName(intent.workload());
            if (spec.equals(intent.spec())) return new Replaced(intent, false);
            ClusterSnapshot cluster = new ClusterView(store.nodes().values(), store.instances().values(), Map.of(),
                    Map.of(), revision).snapshot();
            PlanResult result = IntentPlanner.respecify(intent, spec, cluster);
            if (result instanceof PlanResult.Infeasible infeasible) return new Refused(spec, infeasible);
            if (spec.dryRun()) return new Planned(spec, result.plan());

            Instant now = clock.instant();
            List<Instance> own = store.instances().values().stream()
                    .filter(i -> i.workload().equals(intent.workload())).toList();
            Intent draft = intent.respecified(spec, result.plan(), IntentStatus.SATISFIED, null, now);
            IntentEvaluation first = IntentEvaluator.evaluate(draft, cluster, own);
            Intent updated = intent.respecified(spec, result.plan(), first.status(), first.why(), now);
            if (store.intents().update(id, updated, stored.modRevision())) return new Replaced(updated, true);
            // The controller or another request wrote it meanwhile: read again.
        }
        throw ApiException.conflict("intent '" + id + "' kept changing while it was being replaced; try again");
    }

    /**
     * Deletes intent {@code id} and, in the same transaction, the workload it owns; the reconciler
     * then stops the workload's replicas. A workload of the intent's name that it does not own is
     * left alone.
     *
     * @throws ApiException 404 when there is no such intent
     */
    public Deleted delete(String id) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Versioned<Intent> intent = store.intents().get(id)
                    .orElseThrow(() -> ApiException.notFound("intent '" + id + "' does not exist"));
            String name = intent.value().workload();
            Optional<Versioned<Workload>> workload = store.workloads().get(name);
            boolean owned = workload.isPresent() && id.equals(workload.get().value().owner());
            String workloadKey = store.workloads().key(name);
            List<Compare> unchanged = new ArrayList<>();
            unchanged.add(new Compare.ModRevision(store.intents().key(id), intent.modRevision()));
            // The workload must still be as read: owned (and then deleted too) or not.
            unchanged.add(new Compare.ModRevision(workloadKey, workload.map(Versioned::modRevision).orElse(0L)));
            List<Op> deletes = new ArrayList<>();
            deletes.add(new Op.Delete(store.intents().key(id)));
            if (owned) deletes.add(new Op.Delete(workloadKey));
            if (store.kv().txn(unchanged, deletes, List.of()).succeeded()) return new Deleted(id, owned ? name : null);
        }
        throw ApiException.conflict("intent '" + id + "' kept changing while it was being deleted; try again");
    }

    /** The requested name if it is free; else a 409 when the request chose it, or the first free NAME-k. */
    static String freeName(String name, boolean nameGiven, Map<String, Workload> workloads) {
        if (!workloads.containsKey(name)) return name;
        if (nameGiven) {
            String owner = workloads.get(name).owner();
            throw ApiException.conflict("workload '" + name + "' already exists"
                    + (owner == null ? "" : " and belongs to intent " + owner)
                    + "; give the intent another name, or leave name out and the server picks a free one");
        }
        for (int k = 2; ; k++) {
            String suffix = "-" + k;
            String base = name.length() + suffix.length() <= 63 ? name : name.substring(0, 63 - suffix.length());
            String candidate = base + suffix;
            if (!workloads.containsKey(candidate)) return candidate;
        }
    }

    private String newId() {
        StringBuilder sb = new StringBuilder("intent-");
        for (int k = 0; k < 6; k++) sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return sb.toString();
    }
}
