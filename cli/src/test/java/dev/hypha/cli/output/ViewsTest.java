package dev.hypha.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hypha.model.ContainerHealthMetrics;
import dev.hypha.model.DesiredState;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceState;
import dev.hypha.model.Json;
import dev.hypha.model.Member;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.WorkloadStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table views of fixed records, and the same records through -o json / -o yaml. */
class ViewsTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static Workload web() {
        WorkloadSpec spec = new WorkloadSpec("web", "busybox", List.of("httpd", "-f", "-p", "8080"), 3,
                new Resources(250, 64, 0), RestartPolicy.ALWAYS, "alice", Map.of("MODE", "prod"),
                new PlacementConstraints(true, List.of("eu-west")));
        return Workload.create(spec, NOW.minusSeconds(300), null).withStatus(new WorkloadStatus(3, 2));
    }

    static Workload batch() {
        WorkloadSpec spec = new WorkloadSpec("batch-job", "alpine:3.20", List.of(), 1, new Resources(2000, 2048, 1024),
                RestartPolicy.NEVER, null, Map.of(), null);
        return Workload.create(spec, NOW.minusSeconds(3 * 86400), null);
    }

    static Instance running() {
        return new Instance("web-7f3a", "web", 1, "n2", DesiredState.RUN, InstanceState.RUNNING, "c1", 4242L, 1,
                NOW.minusSeconds(200), NOW.minusSeconds(90), null, null,
                new ContainerHealthMetrics(1.5, 3, 90, 0, 0.8, true), web().spec());
    }

    static Instance pending() {
        return new Instance("web-9c1d", "web", 1, null, DesiredState.RUN, InstanceState.PENDING, null, null, 0,
                NOW.minusSeconds(200), null, null, "no node fits", null, web().spec());
    }

    /** As a server would send it: through JSON text, so numbers have the types a parser gives. */
    static JsonNode tree(Object value) {
        try {
            return Json.mapper().readTree(Json.bytes(value));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ArrayNode array(Object... values) {
        ArrayNode a = Json.mapper().createArrayNode();
        for (Object v : values) a.add(tree(v));
        return a;
    }

    @Test
    void workloadTable() {
        assertThat(Views.workloads(array(web(), batch()), NOW)).isEqualTo("""
                NAME        READY   IMAGE         CPU    MEMORY   MEMBER    GEN   AGE
                web         2/3     busybox       250m   64Mi     alice     1     5m
                batch-job   0/1     alpine:3.20   2      2Gi      default   1     3d
                """);
        assertThat(Views.workloads(Json.mapper().createArrayNode(), NOW)).isEqualTo("No workloads.\n");
    }

    @Test
    void workloadDescriptionWithInstances() {
        assertThat(Views.workload(tree(web()), array(running(), pending()), NOW)).isEqualTo("""
                Name:        web
                Image:       busybox
                Command:     httpd -f -p 8080
                Replicas:    3 desired, 2 ready
                Resources:   cpu 250m, memory 64Mi, disk 0Mi
                Restart:     always
                Member:      alice
                Env:         MODE=prod
                Placement:   regions eu-west; prefers high reputation
                Generation:  1
                Created:     2025-06-01T11:55:00Z (5m ago)

                Instances:
                  ID         NODE   STATE     RESTARTS   CPU    MEMORY   AGE   MESSAGE
                  web-7f3a   n2     running   1          1.5%   3Mi      90s   -
                  web-9c1d   -      pending   0          -      -        3m    no node fits
                """);
    }

    @Test
    void instanceTable() {
        assertThat(Views.instances(array(running()), NOW)).isEqualTo("""
                ID         WORKLOAD   NODE   STATE     RESTARTS   CPU    MEMORY   AGE   MESSAGE
                web-7f3a   web        n2     running   1          1.5%   3Mi      90s   -
                """);
    }

    @Test
    void memberTableShowsCreditsNotMicroCredits() {
        ArrayNode members = array(new Member("alice", 1_500_000, -50_000_000, List.of("n1", "n2")),
                new Member("bob", -250, -50_000_000, List.of()));
        assertThat(Views.members(members)).isEqualTo("""
                MEMBER   BALANCE    CREDIT-LIMIT   NODES
                alice    1.5        -50            n1,n2
                bob      -0.00025   -50            -
                """);
    }

    static JsonNode node(String id, String member, long cpuAlloc, double reliability) {
        return Json.mapper().createObjectNode()
                .put("id", id).put("member", member).put("state", "alive").put("region", "eu-west")
                .put("cost_per_hour", 0.12).put("carbon_intensity", 250)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("capacity", tree(new Resources(4000, 8192, 20480)))
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("allocated", tree(new Resources(cpuAlloc, 1024, 0)))
                .set("reputation", Json.mapper().createObjectNode().put("reliability", reliability)
                        .put("resource_efficiency", 0.9).put("ecological_balance", 0.6).put("contribution_ratio", 0.8));
    }

    @Test
    void nodeTableWithLoadReputationAndCredit() {
        ArrayNode nodes = Json.mapper().createArrayNode().add(node("n1", "alice", 3000, 0.97)).add(node("n2", "bob", 500, 0.5));
        assertThat(Views.nodes(nodes, Map.of("alice", 2_000_000L))).isEqualTo("""
                ID   MEMBER   STATE   REGION    CPU      MEMORY    LOAD   REPUTATION   CREDIT
                n1   alice    alive   eu-west   3/4      1Gi/8Gi   75%    0.87         2
                n2   bob      alive   eu-west   500m/4   1Gi/8Gi   13%    0.68         -
                """);
    }

    @Test
    void intentPlan() {
        JsonNode intent = Json.mapper().createObjectNode().put("id", "i-1").put("status", "satisfied").put("workload", "ha-web")
                .set("plan", Json.mapper().createObjectNode().put("replicas", 2)
                        .put("estimated_cost_per_hour", 0.18).put("estimated_co2_grams_per_hour", 4.2)
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set("placements", Json.mapper().createArrayNode()
                                .add(Json.mapper().createObjectNode().put("node_id", "n1").put("region", "us-west")
                                        .put("cost_per_hour", 0.06).put("carbon_intensity", 50.0).put("co2_grams_per_hour", 1.2))
                                .add(Json.mapper().createObjectNode().put("node_id", "n2").put("region", "us-east")
                                        .put("cost_per_hour", 0.12).put("carbon_intensity", 300.0).put("co2_grams_per_hour", 3.0)))
                        .set("unmet_preferences", Json.mapper().createArrayNode()
                                .add(Json.mapper().createObjectNode().put("preference", "ecological_priority")
                                        .put("why", "n2 runs on 300 g/kWh"))));
        assertThat(Views.intent(intent)).isEqualTo("""
                ID:        i-1
                Status:    satisfied
                Workload:  ha-web

                Replicas:        2
                Estimated cost:  0.18 per hour
                Estimated CO2:   4.2 g per hour

                Placements:
                  NODE   REGION    COST/H   CARBON G/KWH   CO2 G/H
                  n1     us-west   0.06     50             1.2
                  n2     us-east   0.12     300            3.0

                Unmet preferences:
                  PREFERENCE            WHY
                  ecological_priority   n2 runs on 300 g/kWh
                """);
    }

    @Test
    void dryRunPlanHasNoIdOrStatus() throws Exception {
        JsonNode dryRun = Json.mapper().readTree("""
                {"intent":"deploy_highly_available_service","workload":"ha-web","dry_run":true,
                 "plan":{"replicas":0,"placements":[],"estimated_cost_per_hour":0.0,"estimated_co2_grams_per_hour":0.0,
                         "unmet_preferences":[]}}
                """);
        assertThat(Views.intent(dryRun)).isEqualTo("""
                Intent:    deploy_highly_available_service
                Workload:  ha-web

                Replicas:        0
                Estimated cost:  0.00 per hour
                Estimated CO2:   0.0 g per hour
                """);
    }

    @Test
    void genericDescriptionIndentsNestedObjects() {
        JsonNode balance = Json.mapper().createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("pledged_out", tree(new Resources(500, 256, 0)))
                .put("received_in_credits", 12.50)
                .put("reputation_score", 0.8);
        assertThat(Views.describe(balance)).isEqualTo("""
                Pledged out:
                  Cpu millicores:     500
                  Memory mb:          256
                  Disk mb:            0
                Received in credits:  12.5
                Reputation score:     0.8
                """);
    }

    @Test
    void jsonAndYamlOutputAreTheApiShapesAndParseBack() throws Exception {
        ArrayNode list = array(web(), batch());
        StringWriter json = new StringWriter();
        new Printer(new PrintWriter(json), OutputFormat.JSON).print(list, l -> "table");
        JsonNode fromJson = Json.mapper().readTree(json.toString());
        assertThat(fromJson).isEqualTo(list);
        assertThat(fromJson.get(0).get("resources").get("cpu_millicores").asLong()).isEqualTo(250);
        assertThat(Json.mapper().treeToValue(fromJson.get(0), Workload.class)).isEqualTo(web());

        StringWriter yaml = new StringWriter();
        new Printer(new PrintWriter(yaml), OutputFormat.YAML).print(list, l -> "table");
        assertThat(yaml.toString()).contains("restart_policy: always").contains("ready_replicas: 2");
        assertThat(Json.yaml().readTree(yaml.toString())).isEqualTo(list);
    }

    @Test
    void yamlKeepsStringsThatLookLikeOtherTypesAsStrings() throws Exception {
        JsonNode command = Json.mapper().valueToTree(List.of("8080", "1.5", "true", "yes", "null", "~", "0x1F", "1:20", "-v", "-1", ".inf", "", "web"));
        StringWriter yaml = new StringWriter();
        new Printer(new PrintWriter(yaml), OutputFormat.YAML).print(command, l -> "table");
        assertThat(Json.yaml().readTree(yaml.toString())).as(yaml.toString()).isEqualTo(command);
    }

    @Test
    void resultLineForPeopleAndObjectForScripts() throws Exception {
        StringWriter table = new StringWriter();
        new Printer(new PrintWriter(table), OutputFormat.TABLE).result("workload", "web", "deleted", null);
        assertThat(table.toString()).isEqualTo("workload/web deleted\n");

        StringWriter json = new StringWriter();
        new Printer(new PrintWriter(json), OutputFormat.JSON).result("workload", "web", "deleted", null);
        assertThat(Json.mapper().readTree(json.toString()).get("result").asText()).isEqualTo("deleted");
    }
}
