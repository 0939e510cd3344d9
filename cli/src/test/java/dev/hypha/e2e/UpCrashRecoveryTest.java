package dev.hypha.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of {@code hypha up} loses nothing: the same workloads, exactly the desired instances, no duplicates. */
class UpCrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void killNineAndRestartKeepsEveryWorkloadAndExactlyTheDesiredInstances() throws Exception {
        int port = HyphaProcess.freePort();
        String[] args = {"up", "--data-dir", dir.toString(), "--api-port", String.valueOf(port), "--gossip-port", "0",
                "--runtime", "fake", "--node-id", "solo"};
        HyphaProcess up = HyphaProcess.start(dir.resolve("up.log"), args);
        HyphaProcess.Api api;
        try {
            HyphaProcess.Api probe = new HyphaProcess.Api(URI.create("http://127.0.0.1:" + port), "");
            await().atMost(Duration.ofSeconds(60)).until(() -> probe.healthy() || !up.isAlive());
            assertThat(up.isAlive()).as(up.output()).isTrue();
            api = new HyphaProcess.Api(probe.base(), Files.readString(dir.resolve("admin.token")).trim());
            for (String name : new String[] {"web", "db", "cache"}) {
                api.json("POST", "/api/v1/workloads", "{\"name\":\"" + name + "\",\"image\":\"busybox\",\"replicas\":3,"
                        + "\"resources\":{\"cpu_millicores\":100,\"memory_mb\":16}}");
            }
            HyphaProcess.Api a = api;
            await().atMost(Duration.ofSeconds(30)).until(() -> running(a) == 9);
            // Change one while it runs, so a lost update would show.
            api.json("PUT", "/api/v1/workloads/db", "{\"name\":\"db\",\"image\":\"busybox\",\"replicas\":2,"
                    + "\"resources\":{\"cpu_millicores\":100,\"memory_mb\":16}}");
        } finally {
            up.kill9();
        }

        HyphaProcess again = HyphaProcess.start(dir.resolve("up2.log"), args);
        try {
            HyphaProcess.Api a = api;
            await().atMost(Duration.ofSeconds(60)).until(a::healthy);
            JsonNode workloads = api.json("GET", "/api/v1/workloads", null);
            assertThat(workloads).hasSize(3);
            await().atMost(Duration.ofSeconds(60)).until(() -> running(a) == 8 && total(a) == 8);
            JsonNode instances = api.json("GET", "/api/v1/instances", null);
            Set<String> ids = new HashSet<>();
            for (JsonNode i : instances) ids.add(i.get("id").asText());
            assertThat(ids).as("no duplicate instance ids").hasSize(8);
            assertThat(api.json("GET", "/api/v1/workloads/db", null).get("replicas").asInt()).isEqualTo(2);
            assertThat(api.json("GET", "/api/v1/workloads/db/instances", null)).hasSize(2);
        } finally {
            again.close();
        }
    }

    private static long running(HyphaProcess.Api api) throws Exception {
        long n = 0;
        for (JsonNode i : api.json("GET", "/api/v1/instances", null)) if (i.get("state").asText().equals("running")) n++;
        return n;
    }

    private static long total(HyphaProcess.Api api) throws Exception {
        return api.json("GET", "/api/v1/instances", null).size();
    }
}
