package dev.hypha.server.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.server.api.ApiException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Workload names for new intents: a given name is kept or refused, a derived one moves aside. */
class IntentAdmissionTest {
    private static Map<String, Workload> taken(String... names) {
        Map<String, Workload> m = new HashMap<>();
        for (String n : names) {
            m.put(n, Workload.create(new WorkloadSpec(n, "busybox", null, 1, null, null, null, null, null),
                    Fixtures.T0, n.startsWith("owned") ? "intent-x" : null));
        }
        return m;
    }

    @Test
    void aFreeNameIsKept() {
        assertThat(IntentAdmission.freeName("web", true, taken("api"))).isEqualTo("web");
        assertThat(IntentAdmission.freeName("web", false, taken("api"))).isEqualTo("web");
    }

    @Test
    void aGivenNameThatIsTakenIsAConflictThatSaysWhoHasIt() {
        assertThatThrownBy(() -> IntentAdmission.freeName("owned", true, taken("owned")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("workload 'owned' already exists and belongs to intent intent-x; give the intent another"
                        + " name, or leave name out and the server picks a free one");
    }

    @Test
    void aDerivedNameTakesTheFirstFreeSuffixWithinSixtyThreeCharacters() {
        assertThat(IntentAdmission.freeName("busybox", false, taken("busybox", "busybox-2"))).isEqualTo("busybox-3");
        String longest = "a".repeat(63);
        assertThat(IntentAdmission.freeName(longest, false, taken(longest))).isEqualTo("a".repeat(61) + "-2");
    }
}
