package dev.hypha.server.intent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypha.model.Json;
import dev.hypha.spi.KvStore;
import dev.hypha.store.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Planning over real HTTP against six agents in three regions, with nothing ever stored: dry runs
 * honour every hard constraint, prefer what they are asked to prefer and add up; impossible intents
 * are 422 with the constraint and the best possible; malformed ones are 400; unknown ones 404. After
 * every test the store's revision is the one it had when the agents had registered.
 *
 * <p>Agents (4 cores, 8 GiB each; a replica of 500m and 512Mi costs an eighth of the node's price):
 * <pre>
 *   node  region    price/h  per replica  g CO2/kWh
 *   uw1   us-west   0.40     0.05         400
 *   uw2   us-west   0.80     0.10          50
 *   ue1   us-east   0.20     0.025        300
 *   ue2   us-east   0.60     0.075         80
 *   eu1   eu-west   0.16     0.02          30
 *   eu2   eu-west   0.24     0.03         500
 * </pre>
 */
class IntentPlanningApiTest {
    record Agent(String id, String region, double price, double carbon) {}

    static final List<Agent> AGENTS = List.of(
            new Agent("uw1", "us-west", 0.40, 400), new Agent("uw2", "us-west", 0.80, 50),
            new Agent("ue1", "us-east", 0.20, 300), new Agent("ue2", "us-east", 0.60, 80),
            new Agent("eu1", "eu-west", 0.16, 30), new Agent("eu2", "eu-west", 0.24, 500));
    static final String APP = """
            "application": {"image": "busybox", "command": ["httpd", "-f"],
                            "resources": {"cpu_millicores": 500, "memory_mb": 512}}""";

    @TempDir
    static Path dir;
    static IntentTestCluster cluster;
    static long revision;

    @BeforeAll
    static void start() {
        cluster = new IntentTestCluster(dir);
        for (Agent a : AGENTS) cluster.addAgent(a.id(), a.region(), a.price(), a.carbon());
        revision = IntentTestCluster.awaitQuiet(cluster.server.store(), AGENTS.size());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void nothingWasStored() {
        StateStore store = cluster.server.store();
        assertThat(store.intents().values()).isEmpty();
        assertThat(store.workloads().values()).isEmpty();
        assertThat(store.kv().revision()).as("store revision; changed since: " + store.kv().range(StateStore.ROOT).stream()
                .filter(k -> k.modRevision() > revision).map(KvStore.KeyValue::key).toList()).isEqualTo(revision);
    }

    private static IntentTestCluster.Response post(String body) {
        return cluster.call("POST", "/api/v1/intents", body);
    }

    private static JsonNode dryRun(String goal, String constraints) {
        var r = post("""
                {"intent": "%s", "name": "web", "constraints": {%s}, %s, "dry_run": true}""".formatted(goal, constraints, APP));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> nodes(JsonNode plan) {
        List<String> ids = new ArrayList<>();
        plan.get("placements").forEach(p -> ids.add(p.get("node_id").asText()));
        return ids;
    }

    private static Agent agent(String id) {
        return AGENTS.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    /** Each placement matches its node, and the totals are the sums of the placements. */
    private static void assertAddsUp(JsonNode plan) {
        double cost = 0;
        double co2 = 0;
        for (JsonNode p : plan.get("placements")) {
            Agent a = agent(p.get("node_id").asText());
            assertThat(p.get("region").asText()).isEqualTo(a.region());
            assertThat(p.get("carbon_intensity").asDouble()).isEqualTo(a.carbon());
            assertThat(p.get("cost_per_hour").asDouble()).isCloseTo(a.price() / 8, within());
            cost += p.get("cost_per_hour").asDouble();
            co2 += p.get("co2_grams_per_hour").asDouble();
        }
        assertThat(plan.get("replicas").asInt()).isEqualTo(plan.get("placements").size());
        assertThat(plan.get("estimated_cost_per_hour").asDouble()).isCloseTo(cost, within());
        assertThat(plan.get("estimated_co2_grams_per_hour").asDouble()).isCloseTo(co2, within());
    }

    private static Offset<Double> within() {
        return Offset.offset(1e-9);
    }

    @Test
    void aDryRunPrefersThePreferredRegionsAndItsNumbersAddUp() {
        JsonNode answer = dryRun("deploy_highly_available_service",
                "\"min_replicas\": 3, \"max_replicas\": 3, \"preferred_regions\": [\"us-west\", \"us-east\"]");

        assertThat(answer.get("dry_run").asBoolean()).isTrue();
        assertThat(answer.has("id")).as("a dry run has no id").isFalse();
        assertThat(answer.get("intent").asText()).isEqualTo("deploy_highly_available_service");
        assertThat(answer.get("workload").asText()).isEqualTo("web");
        JsonNode plan = answer.get("plan");
        // Both preferred regions, cheapest first, each replica on its own node.
        assertThat(nodes(plan)).containsExactly("ue1", "uw1", "ue2");
        assertThat(plan.get("unmet_preferences")).isEmpty();
        assertAddsUp(plan);
        assertThat(plan.get("estimated_cost_per_hour").asDouble()).isCloseTo(0.15, within());
    }

    @Test
    void renewableEnergyPicksTheLowCarbonNodesAndABudgetStillHolds() {
        String ha = "\"min_replicas\": 3, \"max_replicas\": 3";
        JsonNode cheapest = dryRun("deploy_highly_available_service", ha).get("plan");
        JsonNode green = dryRun("deploy_highly_available_service",
                ha + ", \"ecological_priority\": \"prefer_renewable_energy\"").get("plan");
        JsonNode greenOnBudget = dryRun("deploy_highly_available_service",
                ha + ", \"ecological_priority\": \"prefer_renewable_energy\", \"max_cost_per_hour\": 0.15").get("plan");

        assertThat(nodes(cheapest)).containsExactly("eu1", "ue1", "uw1");
        // The three cleanest grids (30, 80 and 50 g/kWh), one per region.
        assertThat(nodes(green)).containsExactly("eu1", "ue2", "uw2");
        assertThat(green.get("estimated_co2_grams_per_hour").asDouble())
                .isLessThan(cheapest.get("estimated_co2_grams_per_hour").asDouble() / 3);
        // uw2 would cost 0.195 in all: the budget takes the next cleanest us-west node instead.
        assertThat(nodes(greenOnBudget)).containsExactly("eu1", "ue2", "uw1");
        assertThat(greenOnBudget.get("estimated_cost_per_hour").asDouble()).isLessThanOrEqualTo(0.15);
        for (JsonNode plan : List.of(cheapest, green, greenOnBudget)) assertAddsUp(plan);
    }

    @Test
    void anUnaffordableIntentIs422NamingTheBudgetAndTheBestPossible() {
        var r = post("""
                {"intent": "deploy_highly_available_service", "name": "web",
                 "constraints": {"min_replicas": 3, "max_cost_per_hour": 0.05}, %s}""".formatted(APP));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("detail").asText()).isEqualTo("max_cost_per_hour 0.05 allows at most 2 replicas;"
                + " min_replicas is 3 (the cheapest 3 cost 0.075 per hour)");
        assertThat(problem.get("constraint").asText()).isEqualTo("max_cost_per_hour");
        assertThat(problem.at("/best_possible/replicas").asInt()).isEqualTo(2);
        assertThat(problem.at("/best_possible/estimated_cost_per_hour").asDouble()).isLessThanOrEqualTo(0.05);
    }

    static Stream<Arguments> impossible() {
        return Stream.of(
                Arguments.of("\"required_regions\": [\"ap-south\"]", "required_regions",
                        "no alive node is in required_regions [ap-south]; alive nodes are in [eu-west, us-east, us-west]"),
                Arguments.of("\"max_carbon_intensity\": 10", "max_carbon_intensity",
                        "the lowest is 30 g/kWh on eu1"),
                Arguments.of("\"min_replicas\": 7", "min_replicas", "min_replicas is 7 but only 6 alive nodes"),
                Arguments.of("\"min_replicas\": 3, \"required_regions\": [\"us-east\", \"eu-west\"],"
                        + " \"max_carbon_intensity\": 100", "min_replicas", "min_replicas is 3 but only 2 alive nodes"));
    }

    @ParameterizedTest
    @MethodSource("impossible")
    void anImpossibleIntentIs422NamingTheConstraint(String constraints, String constraint, String detail) {
        for (String dry : List.of("false", "true")) {
            var r = post("""
                    {"intent": "deploy_highly_available_service", "constraints": {%s}, %s, "dry_run": %s}"""
                    .formatted(constraints, APP, dry));
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.json().get("constraint").asText()).isEqualTo(constraint);
            assertThat(r.json().get("detail").asText()).contains(detail);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("{", "malformed JSON"),
                Arguments.of("", "request body is empty"),
                Arguments.of("{}", "intent is required"),
                Arguments.of("{\"intent\": \"deploy_batch_job\"}", "application is required"),
                Arguments.of("{\"intent\": \"deploy_magic\", " + APP + "}", "intent 'deploy_magic' is not one of"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"colour\": \"red\", " + APP + "}", "unknown field 'colour'"),
                Arguments.of("{\"intent\": \"deploy_highly_available_service\", \"constraints\": {\"min_replicas\": 1}, "
                        + APP + "}", "needs min_replicas of at least 2"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"constraints\": {\"min_replicas\": 3, \"max_replicas\": 2}, "
                        + APP + "}", "max_replicas (2) must not be less than min_replicas (3)"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"constraints\": {\"preferred_regions\": [\"eu-west\"],"
                        + " \"required_regions\": [\"us-east\"]}, " + APP + "}", "outside required_regions"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"constraints\": {\"max_cost_per_hour\": -1}, " + APP + "}",
                        "max_cost_per_hour must be a number of at least 0"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"constraints\": {\"ecological_priority\": \"solar\"}, "
                        + APP + "}", "ecological_priority 'solar' is not one of"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"name\": \"Bad_Name\", " + APP + "}", "not a valid name"),
                Arguments.of("{\"intent\": \"deploy_batch_job\", \"application\": {\"image\": \"busybox\","
                        + " \"resources\": {\"cpu_millicores\": 0}}}", "cpu_millicores must be positive"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedIntentIs400WithADetailThatSaysWhat(String body, String detail) {
        var r = post(body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains(detail);
    }

    @Test
    void anUnknownIntentIs404() {
        for (String method : List.of("GET", "DELETE")) {
            var r = cluster.call(method, "/api/v1/intents/intent-nope", null);
            assertThat(r.status()).as(method).isEqualTo(404);
            assertThat(r.json().get("detail").asText()).isEqualTo("intent 'intent-nope' does not exist");
        }
        assertThat(cluster.call("GET", "/api/v1/intents", null).json()).isEmpty();
    }

    /** Random constraints, seeded: every plan keeps every hard constraint, and every refusal names one. */
    static Stream<Arguments> seeds() {
        long base = 20250601L;
        return IntStream.range(0, 16).mapToObj(k -> Arguments.of(base + k));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyPlanKeepsEveryHardConstraint(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        String goal = List.of("deploy_highly_available_service", "deploy_batch_job", "deploy_cost_optimized_service")
                .get(random.nextInt(3));
        boolean ha = goal.equals("deploy_highly_available_service");
        ObjectNode constraints = Json.mapper().createObjectNode();
        int min = (ha ? 2 : 1) + random.nextInt(3);
        constraints.put("min_replicas", min);
        constraints.put("max_replicas", min + random.nextInt(3));
        if (random.nextBoolean()) constraints.put("max_cost_per_hour", 0.01 + random.nextInt(20) / 100.0);
        if (random.nextBoolean()) constraints.put("max_carbon_intensity", 25 + random.nextInt(400));
        List<String> regions = new ArrayList<>(List.of("us-west", "us-east", "eu-west"));
        Collections.shuffle(regions, random);
        if (random.nextBoolean()) constraints.putPOJO("required_regions", regions.subList(0, 1 + random.nextInt(3)));
        String[] priorities = {"none", "prefer_low_carbon", "prefer_renewable_energy"};
        constraints.put("ecological_priority", priorities[random.nextInt(3)]);
        String body = """
                {"intent": "%s", "constraints": %s, %s, "dry_run": true}""".formatted(goal, constraints, APP);
        String context = "seed " + seed + ": " + body;

        var r = post(body);
        if (r.status() == 422) {
            assertThat(r.json().get("constraint").asText()).as(context)
                    .isIn("min_replicas", "max_cost_per_hour", "required_regions", "max_carbon_intensity");
            assertThat(r.json().get("detail").asText()).as(context).contains(r.json().get("constraint").asText());
            return;
        }
        assertThat(r.status()).as(context + " -> " + r.body()).isEqualTo(200);
        JsonNode plan = r.json().get("plan");
        assertAddsUp(plan);
        int replicas = plan.get("replicas").asInt();
        assertThat(replicas).as(context).isBetween(min, constraints.get("max_replicas").asInt());
        if (!ha) assertThat(replicas).as(context + ": the fewest allowed").isEqualTo(min);
        Set<String> seen = new HashSet<>();
        for (JsonNode p : plan.get("placements")) {
            Agent a = agent(p.get("node_id").asText());
            if (ha) assertThat(seen.add(a.id())).as(context + ": one replica per node").isTrue();
            if (constraints.has("required_regions")) {
                assertThat(Json.mapper().convertValue(constraints.get("required_regions"), List.class))
                        .as(context).contains(a.region());
            }
            if (constraints.has("max_carbon_intensity")) {
                assertThat(a.carbon()).as(context).isLessThanOrEqualTo(constraints.get("max_carbon_intensity").asDouble());
            }
        }
        if (constraints.has("max_cost_per_hour")) {
            assertThat(plan.get("estimated_cost_per_hour").asDouble()).as(context)
                    .isLessThanOrEqualTo(constraints.get("max_cost_per_hour").asDouble() + 1e-12);
        }
    }
}
