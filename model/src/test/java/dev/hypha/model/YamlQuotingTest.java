package dev.hypha.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** YAML output (`-o yaml`) reads back as what was written: strings stay strings, numbers stay numbers. */
class YamlQuotingTest {

    @ParameterizedTest
    @ValueSource(strings = {"8080", "0123", "1.50", "-1", "+1", "1e3", ".5", "0x1F", "0o17", "1_000", "12:30", ".inf",
            "-.inf", ".nan", "true", "False", "no", "on", "null", "~", "", " padded", "2025-06-01", "a: b", "- item"})
    void aStringThatLooksLikeSomethingElseReadsBackAsTheSameString(String value) throws JsonProcessingException {
        String yaml = Json.yaml().writeValueAsString(Map.of("v", value));

        Map<?, ?> back = Json.yaml().readValue(yaml, Map.class);

        assertThat(back.get("v")).as(yaml).isEqualTo(value);
    }

    @Test
    void plainWordsStayUnquotedAndNumbersStayNumbers() throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "web");
        m.put("image", "busybox:1.36");
        m.put("replicas", 3);
        m.put("price", 1.5);

        String yaml = Json.yaml().writeValueAsString(m);

        assertThat(yaml).isEqualTo("name: web\nimage: busybox:1.36\nreplicas: 3\nprice: 1.5\n");
    }

    @Test
    void aWorkloadPrintedAsYamlIsAcceptedBackWithItsEnvironmentIntact() throws JsonProcessingException {
        WorkloadSpec spec = new WorkloadSpec("web", "busybox", List.of("sh", "-c", "echo 1"), 2,
                new Resources(100, 64, 0), RestartPolicy.ALWAYS, null,
                Map.of("PORT", "8080", "RATIO", "1.50", "DEBUG", "true", "MASK", "0x1F", "WHEN", "12:30"), null, null);

        String yaml = Json.yaml().writeValueAsString(spec);

        assertThat(Json.yaml().readValue(yaml, WorkloadSpec.class)).as(yaml).isEqualTo(spec);
    }
}
