package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.runtime.image.ImageStore;
import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OciCliRuntime#open} refuses, quickly and with a useful message, a runtime that cannot work here. */
class OciCliRuntimeHostCheckTest {
    @TempDir
    Path data;

    private ImageStore images() {
        return new ImageStore(data.resolve("images"));
    }

    @Test
    void crunFailsFastWithAClearMessage() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> OciCliRuntime.open(OciRuntimeConfig.named("crun", data), images()))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> {
                    assertThat(f.nodeFault()).isTrue();
                    assertThat(f.getMessage()).startsWith("crun ");
                    if (Executables.find("crun").isEmpty()) {
                        assertThat(f.getMessage()).contains("was not found").contains("install");
                    } else if (OciCliRuntime.CgroupMode.detect() == OciCliRuntime.CgroupMode.HYBRID) {
                        assertThat(f.getMessage()).contains("cannot run containers on this host")
                                .contains("hybrid").contains("use runc");
                    }
                });
        // Well inside the 30 s command deadline: the failure comes from crun itself, not a timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(data.resolve("runtime/crun/state")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void aMissingBinaryIsNamedWithHowToInstallIt() {
        OciRuntimeConfig config = OciRuntimeConfig.named("youki", data).withBinary("/nonexistent/youki");
        assertThatThrownBy(() -> OciCliRuntime.open(config, images())).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("youki was not found").hasMessageContaining("/nonexistent/youki");
    }

    @Test
    void aHungRuntimeIsKilledAtTheDeadlineInsteadOfHanging() throws IOException {
        Path hung = data.resolve("hung-runtime");
        Files.writeString(hung, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(hung, PosixFilePermissions.fromString("rwxr-xr-x"));
        OciRuntimeConfig config = OciRuntimeConfig.runc(data).withBinary(hung.toString())
                .withCommandTimeout(Duration.ofMillis(500));

        assertThatThrownBy(() -> OciCliRuntime.open(config, images())).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("does not answer").hasMessageContaining("did not finish within 500 ms");
    }

    @Test
    void aBrokenRuntimeReportsWhatItSaid() throws IOException {
        Path broken = data.resolve("broken-runtime");
        Files.writeString(broken, "#!/bin/sh\necho 'cannot open /dev/kvm' >&2\nexit 2\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
        OciRuntimeConfig config = OciRuntimeConfig.runc(data).withBinary(broken.toString());

        assertThatThrownBy(() -> OciCliRuntime.open(config, images())).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("exited 2").hasMessageContaining("cannot open /dev/kvm");
    }
}
