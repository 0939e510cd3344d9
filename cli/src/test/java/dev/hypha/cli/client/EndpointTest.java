package dev.hypha.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.cli.CliException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointTest {
    @TempDir Path home;

    private Path writeTokenFile(String token) throws Exception {
        Path dir = Files.createDirectories(home.resolve(".hypha"));
        return Files.writeString(dir.resolve("admin.token"), token);
    }

    @Test
    void flagsWinOverEnvironmentAndFile() throws Exception {
        writeTokenFile("from-file");
        Endpoint e = Endpoint.resolve("http://10.0.0.5:7070/", "from-flag",
                Map.of("HYPHA_SERVER", "http://env:1", "HYPHA_TOKEN", "from-env"), home);
        assertThat(e.server()).isEqualTo(URI.create("http://10.0.0.5:7070"));
        assertThat(e.serverSource()).isEqualTo("the --server flag");
        assertThat(e.token()).isEqualTo("from-flag");
        assertThat(e.tokenSource()).isEqualTo("the --token flag");
    }

    @Test
    void environmentWinsOverTheLocalDefault() throws Exception {
        writeTokenFile("from-file");
        Endpoint e = Endpoint.resolve(null, null, Map.of("HYPHA_SERVER", "https://hypha.example:8443", "HYPHA_TOKEN", " from-env\n"), home);
        assertThat(e.server()).isEqualTo(URI.create("https://hypha.example:8443"));
        assertThat(e.token()).isEqualTo("from-env");
        assertThat(e.tokenSource()).isEqualTo("HYPHA_TOKEN");
    }

    @Test
    void localDefaultReadsTheAdminTokenFile() throws Exception {
        Path file = writeTokenFile("s3cret\n");
        Endpoint e = Endpoint.resolve(null, null, Map.of(), home);
        assertThat(e.server()).isEqualTo(Endpoint.LOCAL_SERVER);
        assertThat(e.token()).isEqualTo("s3cret");
        assertThat(e.tokenSource()).isEqualTo(file.toString());
    }

    @Test
    void noTokenAnywhereSaysWhereItLooked() {
        Endpoint e = Endpoint.resolve(null, null, Map.of("HYPHA_TOKEN", "  "), home);
        assertThat(e.hasToken()).isFalse();
        assertThat(e.tokenSource()).contains("--token", "HYPHA_TOKEN", home.resolve(".hypha/admin.token").toString());
    }

    @Test
    void malformedServerIsRefusedWithTheSourceNamed() {
        assertThatThrownBy(() -> Endpoint.resolve("localhost:7070", null, Map.of(), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--server 'localhost:7070' is not a server URL");
        assertThatThrownBy(() -> Endpoint.resolve(null, null, Map.of("HYPHA_SERVER", "ftp://x"), home))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("HYPHA_SERVER 'ftp://x'");
    }

    @Test
    void emptyTokenFileIsAnError() throws Exception {
        writeTokenFile("\n");
        assertThatThrownBy(() -> Endpoint.resolve(null, null, Map.of(), home))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void problemDetailPrefersDetailThenTitleThenText() {
        assertThat(ApiClient.problemDetail(404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"workload 'x' not found\"}".getBytes()))
                .isEqualTo("workload 'x' not found");
        assertThat(ApiClient.problemDetail(409, "{\"title\":\"Conflict\",\"status\":409}".getBytes())).isEqualTo("Conflict");
        assertThat(ApiClient.problemDetail(500, "boom".getBytes())).isEqualTo("boom");
        assertThat(ApiClient.problemDetail(502, new byte[0])).isEqualTo("the server answered HTTP 502");
    }
}
