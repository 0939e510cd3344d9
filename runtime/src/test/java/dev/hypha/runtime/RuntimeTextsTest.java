package dev.hypha.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.spi.ContainerRuntime.RuntimeFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small parsers and classifiers of OciCliRuntime: runtime log lines, /proc/net/dev, ids, fault blame. */
class RuntimeTextsTest {
    @Test
    void runcLogLinesGiveTheirErrorMessage() {
        assertThat(OciCliRuntime.logMessage("time=\"2025-01-01T00:00:00Z\" level=error msg=\"runc create failed:"
                + " unable to start container process: exec: \\\"/x\\\": stat /x: no such file or directory\""))
                .isEqualTo("runc create failed: unable to start container process: exec: \"/x\": stat /x: no such file or directory");
        assertThat(OciCliRuntime.logMessage("time=\"…\" level=warning msg=\"deprecated\"")).isEmpty();
        assertThat(OciCliRuntime.logMessage("{\"level\":\"error\",\"msg\":\"cgroup busy\",\"time\":\"…\"}"))
                .isEqualTo("cgroup busy");
        assertThat(OciCliRuntime.logMessage("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"))
                .isEqualTo("cgroups in hybrid mode not supported, drop all controllers from cgroupv2");
    }

    @Test
    void netDevSumsEveryInterfaceButLoopback() {
        String netDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:  900000     100    0    0    0     0          0         0   900000     100    0    0    0     0       0          0
                  eth0:    1500      10    0    0    0     0          0         0     2500      20    0    0    0     0       0          0
                  veth1:     100       1    0    0    0     0          0         0       50       1    0    0    0     0       0          0
                """;
        assertThat(OciCliRuntime.netDevBytes(netDev)).isEqualTo(1500 + 2500 + 100 + 50);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "runc create failed: unable to start container process: exec: \"/no/such\": stat /no/such: no such file or directory|true",
        "exec: \"app\": executable file not found in $PATH|true",
        "exec: \"/app\": permission denied|true",
        "cgroups in hybrid mode not supported|false",
        "unable to apply cgroup configuration: mkdir /sys/fs/cgroup/x: no space left on device|false",
    })
    void programErrorsAreTheWorkloadsFaultAndTheRestTheNodes(String message, boolean workload) {
        assertThat(OciCliRuntime.workloadFault(message)).isEqualTo(workload);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-1", "a", "Web_2.x", "0abc"})
    void validIds(String id) {
        assertThat(OciCliRuntime.validId(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/b", "-a", ".hidden", "a b"})
    void invalidIds(String id) {
        assertThatThrownBy(() -> OciCliRuntime.validId(id)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("not valid");
    }

    @Test
    void syscallNumbersPerArchitecture() {
        assertThat(OciCliRuntime.syscalls("amd64")).isEqualTo(new OciCliRuntime.Syscalls(157, 165));
        assertThat(OciCliRuntime.syscalls("aarch64")).isEqualTo(new OciCliRuntime.Syscalls(167, 40));
        assertThatThrownBy(() -> OciCliRuntime.syscalls("pdp11")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("pdp11");
    }
}
