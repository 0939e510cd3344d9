package dev.hypha.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Json;
import org.junit.jupiter.api.Test;

class ExplainViewTest {
    static final String EXPLAIN = """
            {"workload":"web","decisions":[
              {"instance_id":"web-1a2b","at":"2025-06-01T12:00:00Z","outcome":"assigned","node_id":"n1",
               "profile":"simple","nodes_total":3,"nodes_evaluated":3,
               "top_candidates":[
                 {"node_id":"n1","total":0.83,"scores":{"least-allocated":0.9,"spread":1.0}},
                 {"node_id":"n2","total":0.61,"scores":{"least-allocated":0.7,"spread":0.5}}],
               "rejection_counts":{"node-alive: node is dead":1},
               "rejections":[{"node_id":"n3","plugin":"node-alive","reason":"node is dead"}]},
              {"instance_id":null,"at":"2025-06-01T12:00:05Z","outcome":"unplaceable",
               "profile":"simple","nodes_total":3,"nodes_evaluated":3,"top_candidates":[],
               "rejection_counts":{"resource-fit: insufficient memory":2,"node-alive: node is dead":1},
               "rejections":[{"node_id":"n1","plugin":"resource-fit","reason":"insufficient memory"}]}]}
            """;

    static JsonNode explain() throws Exception {
        return Json.mapper().readTree(EXPLAIN);
    }

    @Test
    void reportShowsChosenNodeCandidatesPerPluginAndRejections() throws Exception {
        assertThat(Views.explain(explain())).isEqualTo("""
                Workload web: 2 placement decisions, newest first.

                A new replica at 2025-06-01T12:00:05Z: unplaceable, no node fits
                  profile simple, 3 of 3 nodes evaluated
                  No node passed the filters.
                  Rejected:
                    NODES   REASON
                    2       resource-fit: insufficient memory
                    1       node-alive: node is dead
                  Rejections (sample):
                    NODE   PLUGIN         REASON
                    n1     resource-fit   insufficient memory

                Instance web-1a2b at 2025-06-01T12:00:00Z: assigned to node n1
                  profile simple, 3 of 3 nodes evaluated
                  Candidates (best first):
                    NODE   TOTAL   LEAST-ALLOCATED   SPREAD
                    n1     0.83    0.90              1.00
                    n2     0.61    0.70              0.50
                  Rejected:
                    NODES   REASON
                    1       node-alive: node is dead
                  Rejections (sample):
                    NODE   PLUGIN       REASON
                    n3     node-alive   node is dead
                """);
    }

    @Test
    void unplaceableReasonComesFromTheNewestUnplacedDecision() throws Exception {
        assertThat(Views.unplaceableReason(explain()))
                .isEqualTo("no node fits: resource-fit: insufficient memory (2 nodes), node-alive: node is dead (1 node)");
    }

    @Test
    void theNewestUnplacedDecisionGivesTheReasonWhateverTheOrder() throws Exception {
        JsonNode e = Json.mapper().readTree("""
                {"workload":"web","decisions":[
                  {"at":"2025-06-01T12:00:09Z","outcome":"unplaceable","rejection_counts":{"region: not in eu":1}},
                  {"at":"2025-06-01T12:00:01Z","outcome":"unplaceable","rejection_counts":{"node-alive: node is dead":1}}]}
                """);
        assertThat(Views.unplaceableReason(e)).isEqualTo("no node fits: region: not in eu (1 node)");
    }

    @Test
    void noDecisionsYet() throws Exception {
        JsonNode empty = Json.mapper().readTree("{\"workload\":\"web\",\"decisions\":[]}");
        assertThat(Views.explain(empty)).isEqualTo("No placement decisions recorded for web yet.\n");
        assertThat(Views.unplaceableReason(empty)).isNull();
    }
}
