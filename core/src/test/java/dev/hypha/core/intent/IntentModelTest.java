package dev.hypha.core.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import dev.hypha.model.Resources;
import dev.hypha.model.intent.EcologicalPriority;
import dev.hypha.model.intent.Intent;
import dev.hypha.model.intent.IntentApplication;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.IntentGoal;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.IntentStatus;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.model.intent.UnmetPreference;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The intent records: their JSON shapes (INTERFACES.md), their defaults and their refusals. */
class IntentModelTest {
    private static final IntentApplication APP = new IntentApplication("busybox", null, null, null);

    @Test
    void readsTheIntentOfTheInterfaceDocument() throws Exception {
        String json = """
                {"intent": "deploy_highly_available_service",
                  "constraints": {"min_replicas": 3, "max_cost_per_hour": 10.0,
                                  "preferred_regions": ["us-west", "us-east"], "ecological_priority": "prefer_renewable_energy"},
                  "application": {"image": "busybox", "command": ["httpd", "-f"], "resources": {"cpu_millicores": 500, "memory_mb": 512}},
                  "dry_run": false}
                """;
        IntentSpec spec = Json.mapper().readValue(json, IntentSpec.class);

        assertThat(spec.intent()).isEqualTo(IntentGoal.DEPLOY_HIGHLY_AVAILABLE_SERVICE);
        assertThat(spec.name()).isEqualTo("busybox");
        assertThat(spec.member()).isEqualTo("default");
        assertThat(spec.constraints()).isEqualTo(new IntentConstraints(3, 3, 10.0, List.of("us-west", "us-east"),
                List.of(), EcologicalPriority.PREFER_RENEWABLE_ENERGY, null));
        assertThat(spec.application().resources()).isEqualTo(new Resources(500, 512, 0));
        assertThat(spec.application().command()).containsExactly("httpd", "-f");
        assertThat(spec.dryRun()).isFalse();
        assertThat(Json.mapper().readValue(Json.string(spec), IntentSpec.class)).isEqualTo(spec);
    }

    @Test
    void readsAMinimalIntentInYaml() throws Exception {
        IntentSpec spec = Json.yaml().readValue("""
                intent: deploy_batch_job
                application:
                  image: registry.local:5000/tools/Report_Gen:2.1
                """, IntentSpec.class);

        assertThat(spec.name()).isEqualTo("report-gen");
        assertThat(spec.constraints().minReplicas()).isEqualTo(1);
        assertThat(spec.constraints().ecologicalPriority()).isEqualTo(EcologicalPriority.NONE);
        assertThat(spec.application().resources()).isEqualTo(new Resources(100, 64, 0));
        assertThat(spec.dryRun()).isFalse();
    }

    @Test
    void writesAStoredIntentAsTheIntentResponse() throws Exception {
        IntentPlan plan = IntentPlan.of(List.of(new PlannedPlacement("n1", "us-west", 0.06, 50, 1.4)),
                List.of(new UnmetPreference("preferred_regions", "us-east has no replica")));
        IntentSpec spec = new IntentSpec(IntentGoal.DEPLOY_COST_OPTIMIZED_SERVICE, "web", null, APP, null, false);
        Intent intent = Intent.create("i-7f3a", spec, plan, IntentStatus.SATISFIED, "ignored when satisfied",
                Fixtures.T0);

        JsonNode json = Json.mapper().readTree(Json.string(intent));

        assertThat(json.get("id").asText()).isEqualTo("i-7f3a");
        assertThat(json.get("status").asText()).isEqualTo("satisfied");
        assertThat(json.has("why")).isFalse();
        assertThat(json.get("workload").asText()).isEqualTo("web");
        JsonNode p = json.get("plan");
        assertThat(p.get("replicas").asInt()).isEqualTo(1);
        assertThat(p.get("estimated_cost_per_hour").asDouble()).isEqualTo(0.06);
        assertThat(p.get("estimated_co2_grams_per_hour").asDouble()).isEqualTo(1.4);
        JsonNode placement = p.get("placements").get(0);
        assertThat(placement.get("node_id").asText()).isEqualTo("n1");
        assertThat(placement.get("region").asText()).isEqualTo("us-west");
        assertThat(placement.get("cost_per_hour").asDouble()).isEqualTo(0.06);
        assertThat(placement.get("carbon_intensity").asDouble()).isEqualTo(50);
        assertThat(placement.get("co2_grams_per_hour").asDouble()).isEqualTo(1.4);
        assertThat(p.get("unmet_preferences").get(0).get("preference").asText()).isEqualTo("preferred_regions");
        assertThat(p.get("unmet_preferences").get(0).get("why").asText()).isEqualTo("us-east has no replica");
        assertThat(json.get("spec").get("intent").asText()).isEqualTo("deploy_cost_optimized_service");
        assertThat(json.get("generation").asLong()).isEqualTo(1);
        assertThat(json.get("created_at").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(Json.mapper().readValue(Json.string(intent), Intent.class)).isEqualTo(intent);
    }

    @Test
    void rejectsUnknownFields() {
        assertThatThrownBy(() -> Json.mapper().readValue("""
                {"intent": "deploy_batch_job", "constraints": {"min_replica": 3}, "application": {"image": "busybox"}}
                """, IntentSpec.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("min_replica");
    }

    @Test
    void aRefusalInJsonCarriesTheModelsMessage() {
        assertThatThrownBy(() -> Json.mapper().readValue("""
                {"intent": "deploy_highly_available_service", "constraints": {"min_replicas": 1},
                 "application": {"image": "busybox"}}
                """, IntentSpec.class))
                .rootCause().isInstanceOf(InvalidSpecException.class)
                .hasMessage("deploy_highly_available_service needs min_replicas of at least 2: a single replica does"
                        + " not survive the loss of its node");
    }

    static Stream<Arguments> refusals() {
        return Stream.<Arguments>of(
                Arguments.of((Supplier<Object>) () -> new IntentSpec(IntentGoal.DEPLOY_HIGHLY_AVAILABLE_SERVICE, null,
                        new IntentConstraints(null, 1, null, null, null, null, null), APP, null, false),
                        "deploy_highly_available_service needs max_replicas of at least 2: a single replica does not"
                                + " survive the loss of its node"),
                Arguments.of((Supplier<Object>) () -> new IntentConstraints(3, 2, null, null, null, null, null),
                        "max_replicas (2) must not be less than min_replicas (3)"),
                Arguments.of((Supplier<Object>) () -> new IntentConstraints(0, null, null, null, null, null, null),
                        "min_replicas must be between 1 and 10000, got 0"),
                Arguments.of((Supplier<Object>) () -> new IntentConstraints(null, null, -1.0, null, null, null, null),
                        "max_cost_per_hour must be a number of at least 0, got -1.0"),
                Arguments.of((Supplier<Object>) () -> new IntentConstraints(null, null, null, null, null, null,
                        Double.NaN), "max_carbon_intensity must be a number of at least 0, got NaN"),
                Arguments.of((Supplier<Object>) () -> new IntentConstraints(null, null, null, List.of("us-west", "eu-west"),
                        List.of("eu-west"), null, null),
                        "preferred_regions [us-west] are outside required_regions [eu-west], so no replica could ever"
                                + " go there"),
                Arguments.of((Supplier<Object>) () -> new IntentConstraints(null, null, null, List.of(" "), null, null,
                        null), "preferred_regions[] is required and must not be empty"),
                Arguments.of((Supplier<Object>) () -> new IntentSpec(null, null, null, APP, null, false),
                        "intent is required: one of deploy_highly_available_service, deploy_batch_job,"
                                + " deploy_cost_optimized_service"),
                Arguments.of((Supplier<Object>) () -> new IntentSpec(IntentGoal.DEPLOY_BATCH_JOB, null, null, null, null,
                        false), "application is required, with at least an image"),
                Arguments.of((Supplier<Object>) () -> new IntentSpec(IntentGoal.DEPLOY_BATCH_JOB, "Web_1", null, APP,
                        null, false), "name 'Web_1' is not a valid name: use 1-63 lowercase letters, digits and '-',"
                        + " starting with a letter"),
                Arguments.of((Supplier<Object>) () -> new IntentApplication(" ", null, null, null),
                        "application.image is required and must not be empty"),
                Arguments.of((Supplier<Object>) () -> new IntentApplication("busybox", null, java.util.Map.of("A=B", "1"),
                        null), "application.env name 'A=B' is not valid: it must be non-empty and contain no '='"),
                Arguments.of((Supplier<Object>) () -> IntentGoal.parse("deploy_everything"),
                        "intent 'deploy_everything' is not one of deploy_highly_available_service, deploy_batch_job,"
                                + " deploy_cost_optimized_service"),
                Arguments.of((Supplier<Object>) () -> EcologicalPriority.parse("green"),
                        "ecological_priority 'green' is not one of none, prefer_low_carbon, prefer_renewable_energy"),
                Arguments.of((Supplier<Object>) () -> new IntentPlan(2, List.of(new PlannedPlacement("n1", "eu", 1, 0, 0)),
                        1, 0, null), "plan has replicas 2 but 1 placements"),
                Arguments.of((Supplier<Object>) () -> new IntentPlan(1, List.of(new PlannedPlacement("n1", "eu", 1, 0, 0)),
                        2, 0, null), "estimated_cost_per_hour is 2.0 but the placements add up to 1.0"),
                Arguments.of((Supplier<Object>) () -> new Intent("i-1", IntentStatus.DEGRADED, " ", "web",
                        IntentPlan.empty(null), new IntentSpec(IntentGoal.DEPLOY_BATCH_JOB, null, null, APP, null, false),
                        1, null, null), "an intent that is degraded must say why"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void refusesWithAMessageAPersonUnderstands(Supplier<Object> make, String message) {
        assertThatThrownBy(make::get).isInstanceOf(InvalidSpecException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0} min={1} max={2} -> {3}..{4}")
    @CsvSource(nullValues = "-", value = {
            "DEPLOY_HIGHLY_AVAILABLE_SERVICE, -, -, 2, 3",
            "DEPLOY_HIGHLY_AVAILABLE_SERVICE, 5, -, 5, 5",
            "DEPLOY_HIGHLY_AVAILABLE_SERVICE, -, 4, 2, 4",
            "DEPLOY_HIGHLY_AVAILABLE_SERVICE, -, 2, 2, 2",
            "DEPLOY_COST_OPTIMIZED_SERVICE, -, -, 1, 1",
            "DEPLOY_COST_OPTIMIZED_SERVICE, -, 5, 1, 5",
            "DEPLOY_BATCH_JOB, 3, -, 3, 3",
            "DEPLOY_BATCH_JOB, -, -, 1, 1"})
    void fillsTheReplicaBoundsForTheGoal(IntentGoal goal, Integer min, Integer max, int wantMin, int wantMax) {
        IntentSpec spec = new IntentSpec(goal, null, new IntentConstraints(min, max, null, null, null, null, null), APP,
                null, false);
        assertThat(spec.constraints().minReplicas()).isEqualTo(wantMin);
        assertThat(spec.constraints().maxReplicas()).isEqualTo(wantMax);
        assertThat(spec.constraints().resolvedFor(goal)).isEqualTo(spec.constraints());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "busybox, busybox",
            "myapp:latest, myapp",
            "registry.example.com:5000/org/My_App:1.2, my-app",
            "ghcr.io/x/9lives@sha256:abcdef, app-9lives",
            "___, app",
            "localhost:5000/web..server, web-server"})
    void derivesAWorkloadNameFromTheImage(String image, String name) {
        assertThat(IntentSpec.deriveName(image)).isEqualTo(name);
    }

    @Test
    void derivedNamesStayWithinSixtyThreeCharacters() {
        String name = IntentSpec.deriveName("a".repeat(62) + "-b");
        assertThat(name).hasSize(62).isEqualTo("a".repeat(62));
    }

    @Test
    void anIntentCountsItsPlansAndKeepsItsStatusWhenNothingChanged() {
        IntentSpec spec = new IntentSpec(IntentGoal.DEPLOY_BATCH_JOB, null, null, APP, null, false);
        Intent intent = Intent.create("i-1", spec, IntentPlan.empty(null), IntentStatus.DEGRADED, "0 of 1 running",
                Fixtures.T0);
        java.time.Instant later = Fixtures.T0.plusSeconds(30);

        assertThat(intent.withStatus(IntentStatus.DEGRADED, "0 of 1 running", later)).isSameAs(intent);
        Intent satisfied = intent.withStatus(IntentStatus.SATISFIED, "stale reason", later);
        assertThat(satisfied.why()).isNull();
        assertThat(satisfied.updatedAt()).isEqualTo(later);
        assertThat(satisfied.generation()).isEqualTo(1);
        Intent replanned = satisfied.replanned(IntentPlan.empty(null), IntentStatus.DEGRADED, "moving", later);
        assertThat(replanned.generation()).isEqualTo(2);
        assertThat(replanned.createdAt()).isEqualTo(Fixtures.T0);
        assertThat(replanned.workload()).isEqualTo("busybox");
    }
}
