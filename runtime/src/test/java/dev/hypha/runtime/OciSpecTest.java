package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.model.Resources;
import dev.hypha.runtime.image.Image;
import dev.hypha.runtime.image.ImageConfig;
import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import dev.hypha.spi.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciSpecTest {
    private static final ImageConfig NGINXISH = new ImageConfig(List.of("/docker-entrypoint.sh"),
            List.of("nginx", "-g", "daemon off;"), List.of("PATH=/usr/sbin:/usr/bin", "MODE=image", "LANG=C"), "/srv",
            "");
    private static final Image IMAGE = new Image("web", "sha256:" + "ab".repeat(32), 1234, null, NGINXISH);
    private static final OciSpec.Options OPTIONS = new OciSpec.Options(1024, true, List.of("/etc/resolv.conf"));

    private static ContainerSpec spec(List<String> command, Map<String, String> env, Resources resources) {
        return new ContainerSpec("web-1", "web", command, env, resources, "/var/log/web-1.log");
    }

    private static JsonNode build(ContainerSpec spec) {
        return OciSpec.build(spec, IMAGE, new ProcessUser(101, 102), OPTIONS);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("type").asText()));
        return out;
    }

    @Test
    void withoutACommandTheImagesEntrypointAndCmdRun() {
        JsonNode p = build(spec(List.of(), Map.of(), new Resources(100, 64, 0))).path("process");
        assertThat(texts(p.path("args"))).containsExactly("/docker-entrypoint.sh", "nginx", "-g", "daemon off;");
        assertThat(p.path("cwd").asText()).isEqualTo("/srv");
        assertThat(p.path("terminal").asBoolean(true)).isFalse();
        assertThat(p.path("user").path("uid").asLong()).isEqualTo(101);
        assertThat(p.path("user").path("gid").asLong()).isEqualTo(102);
    }

    @Test
    void theWorkloadsCommandReplacesEntrypointAndCmd() {
        JsonNode p = build(spec(List.of("sh", "-c", "echo hi"), Map.of(), new Resources(100, 64, 0))).path("process");
        assertThat(texts(p.path("args"))).containsExactly("sh", "-c", "echo hi");
    }

    @Test
    void anImageWithNothingToRunAndNoCommandIsTheWorkloadsFault() {
        Image empty = new Image("scratch", IMAGE.digest(), 1, null, ImageConfig.EMPTY);
        assertThatThrownBy(() -> OciSpec.build(spec(List.of(), Map.of(), Resources.ZERO), empty, ProcessUser.ROOT, OPTIONS))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.nodeFault()).isFalse())
                .hasMessageContaining("no entrypoint or cmd");
    }

    @Test
    void theWorkloadsEnvOverridesTheImagesAndKeepsItsOrder() {
        JsonNode p = build(spec(List.of(), Map.of("MODE", "prod", "ZONE", "eu"), Resources.ZERO)).path("process");
        assertThat(texts(p.path("env"))).containsExactly("PATH=/usr/sbin:/usr/bin", "MODE=prod", "LANG=C", "ZONE=eu");
    }

    @Test
    void aMissingPathIsDefaulted() {
        Image noPath = new Image("x", IMAGE.digest(), 1, null, new ImageConfig(List.of(), List.of("sh"), List.of(), "", ""));
        JsonNode p = OciSpec.build(spec(List.of(), Map.of(), Resources.ZERO), noPath, ProcessUser.ROOT, OPTIONS).path("process");
        assertThat(texts(p.path("env"))).containsExactly(OciSpec.DEFAULT_PATH);
        assertThat(p.path("cwd").asText()).isEqualTo("/");
    }

    @Test
    void hardeningFollowsRuncSpec() {
        JsonNode s = build(spec(List.of(), Map.of(), new Resources(100, 64, 0)));
        JsonNode p = s.path("process");
        assertThat(p.path("noNewPrivileges").asBoolean()).isTrue();
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
            assertThat(texts(p.path("capabilities").path(set))).as(set)
                    .containsExactly("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        }
        assertThat(texts(s.path("linux").path("maskedPaths"))).contains("/proc/kcore", "/proc/keys", "/sys/firmware")
                .hasSize(10);
        assertThat(texts(s.path("linux").path("readonlyPaths"))).containsExactly("/proc/bus", "/proc/fs", "/proc/irq",
                "/proc/sys", "/proc/sysrq-trigger");
        JsonNode devices = s.path("linux").path("resources").path("devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).path("allow").asBoolean(true)).isFalse();
        assertThat(s.path("root").path("path").asText()).isEqualTo("rootfs");
        assertThat(s.path("hostname").asText()).isEqualTo("web-1");
    }

    @Test
    void theNetworkNamespaceIsTheHostsAndItsNameFilesAreBoundReadOnly() {
        JsonNode s = build(spec(List.of(), Map.of(), Resources.ZERO));
        assertThat(texts(s.path("linux").path("namespaces"))).containsExactly("pid", "ipc", "uts", "mount")
                .doesNotContain("network");
        List<String> destinations = new ArrayList<>();
        s.path("mounts").forEach(m -> destinations.add(m.path("destination").asText()));
        assertThat(destinations).contains("/proc", "/dev", "/sys", "/sys/fs/cgroup", "/etc/resolv.conf");
        JsonNode resolv = null;
        for (JsonNode m : s.path("mounts")) if (m.path("destination").asText().equals("/etc/resolv.conf")) resolv = m;
        assertThat(texts(resolv.path("options"))).contains("rbind", "ro");
    }

    @Test
    void limitsComeFromTheResources() {
        JsonNode linux = build(spec(List.of(), Map.of(), new Resources(250, 32, 0))).path("linux");
        assertThat(linux.path("cgroupsPath").asText()).isEqualTo("hypha/web-1");
        JsonNode r = linux.path("resources");
        assertThat(r.path("memory").path("limit").asLong()).isEqualTo(32L * 1024 * 1024);
        assertThat(r.path("memory").path("swap").asLong()).isEqualTo(32L * 1024 * 1024);
        assertThat(r.path("cpu").path("quota").asLong()).isEqualTo(25_000);
        assertThat(r.path("cpu").path("period").asLong()).isEqualTo(100_000);
        assertThat(r.path("cpu").path("shares").asLong()).isEqualTo(256);
        assertThat(r.path("pids").path("limit").asLong()).isEqualTo(1024);
    }

    @Test
    void zeroResourcesMeanNoMemoryOrCpuLimitButStillAPidsLimit() {
        JsonNode r = OciSpec.build(spec(List.of(), Map.of(), Resources.ZERO), IMAGE, ProcessUser.ROOT,
                new OciSpec.Options(64, false, List.of())).path("linux").path("resources");
        assertThat(r.has("memory")).isFalse();
        assertThat(r.has("cpu")).isFalse();
        assertThat(r.path("pids").path("limit").asLong()).isEqualTo(64);
    }

    @Test
    void swapIsLeftAloneWhereTheHostDoesNotAccountIt() {
        JsonNode memory = OciSpec.build(spec(List.of(), Map.of(), new Resources(100, 16, 0)), IMAGE, ProcessUser.ROOT,
                new OciSpec.Options(64, false, List.of())).path("linux").path("resources").path("memory");
        assertThat(memory.path("limit").asLong()).isEqualTo(16L * 1024 * 1024);
        assertThat(memory.has("swap")).isFalse();
    }

    @ParameterizedTest(name = "{0}m -> shares {1}, quota {2} us")
    @CsvSource({"1, 2, 1000", "5, 5, 1000", "10, 10, 1000", "100, 102, 10000", "250, 256, 25000", "1000, 1024, 100000",
        "2500, 2560, 250000", "1024000, 262144, 102400000"})
    void cpuConversionsAreKubernetes(long millicores, long shares, long quota) {
        assertThat(OciSpec.cpuShares(millicores)).isEqualTo(shares);
        assertThat(OciSpec.cpuQuotaMicros(millicores)).isEqualTo(quota);
    }

    @Test
    void longIdsAreCutToAValidHostname() {
        assertThat(OciSpec.hostname("a".repeat(100))).hasSize(63);
    }
}
