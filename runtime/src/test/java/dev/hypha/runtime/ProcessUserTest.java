package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessUserTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws IOException {
        Path etc = Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:34:web:/var/www:/bin/false\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nwww-data:x:34:\nstaff:x:50:www\n");
    }

    @ParameterizedTest(name = "''{0}'' -> {1}:{2}")
    @CsvSource({"'', 0, 0", "www, 33, 34", "33, 33, 34", "1000, 1000, 0", "www:staff, 33, 50", "www:7, 33, 7",
        "1000:50, 1000, 50", "root, 0, 0"})
    void usersResolveAgainstTheImagesFiles(String user, long uid, long gid) {
        assertThat(ProcessUser.resolve(user, rootfs, "img")).isEqualTo(new ProcessUser(uid, gid));
    }

    @Test
    void unknownNamesAreTheImagesFault() {
        assertThatThrownBy(() -> ProcessUser.resolve("nginx", rootfs, "img")).isInstanceOfSatisfying(RuntimeFailure.class,
                f -> assertThat(f.nodeFault()).isFalse()).hasMessageContaining("'nginx'");
        assertThatThrownBy(() -> ProcessUser.resolve("www:wheel", rootfs, "img")).hasMessageContaining("'wheel'");
    }

    @Test
    void aPasswdThatLinksOutOfTheImageIsNotFollowed() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> ProcessUser.resolve("root", rootfs, "img")).hasMessageContaining("not in its /etc/passwd");
        assertThat(ProcessUser.resolve("0", rootfs, "img")).isEqualTo(ProcessUser.ROOT);
    }
}
