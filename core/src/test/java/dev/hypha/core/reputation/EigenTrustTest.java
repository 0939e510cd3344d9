package dev.hypha.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EigenTrustTest {
    static final double A = 0.15;

    static EigenTrust.Result run(Map<String, Map<String, Double>> local, Set<String> preTrusted) {
        return EigenTrust.compute(local, Set.of(), preTrusted, A, 500, 1e-13);
    }

    @Test
    void twoPeersTrustingEachOtherMatchTheClosedForm() {
        // s trusts a, a trusts s; s pre-trusted: t_s = a + (1-a) t_a, t_a = (1-a) t_s
        var r = run(Map.of("s", Map.of("a", 1.0), "a", Map.of("s", 1.0)), Set.of("s"));
        double ts = A / (1 - (1 - A) * (1 - A));
        assertThat(r.of("s")).isCloseTo(ts, within(1e-12));
        assertThat(r.of("a")).isCloseTo((1 - A) * ts, within(1e-12));
        assertThat(r.converged()).isTrue();
    }

    @Test
    void aSymmetricRingWithoutAnchorsIsUniform() {
        var r = run(Map.of("a", Map.of("b", 1.0), "b", Map.of("c", 1.0), "c", Map.of("a", 1.0)), Set.of());
        assertThat(r.trust().values()).allSatisfy(t -> assertThat(t).isCloseTo(1.0 / 3, within(1e-12)));
    }

    @Test
    void trustSumsToOneAndFollowsThePreTrustedPeersExperience() {
        Map<String, Map<String, Double>> local = Map.of(
                "server", Map.of("good", 9.0, "fair", 3.0),
                "good", Map.of("fair", 1.0),
                "fair", Map.of("good", 1.0));
        var r = EigenTrust.compute(local, Set.of("stranger"), Set.of("server"), A, 500, 1e-13);
        assertThat(r.trust().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-12));
        assertThat(r.of("good")).isGreaterThan(r.of("fair"));
        assertThat(r.of("stranger")).isZero();
        assertThat(r.trust()).containsKeys("server", "good", "fair", "stranger");
    }

    @Test
    void aCliqueNobodyTrustsHoldsNoTrustWhateverItSaysOfItself() {
        Map<String, Map<String, Double>> local = new HashMap<>();
        local.put("server", Map.of("h1", 5.0, "h2", 5.0));
        local.put("h1", Map.of("h2", 1.0));
        local.put("h2", Map.of("h1", 1.0));
        local.put("l1", Map.of("l2", 1e9, "l3", 1e9));
        local.put("l2", Map.of("l1", 1e9, "l3", 1e9));
        local.put("l3", Map.of("l1", 1e9, "l2", 1e9, "l3", 1e12)); // self-trust is ignored
        var r = run(local, Set.of("server"));
        assertThat(r.of("l1") + r.of("l2") + r.of("l3")).isZero();
        assertThat(r.of("h1")).isPositive();
    }

    @Test
    void anIncredibleWitnessPassesItsTrustBackToTheAnchors() {
        Map<String, Map<String, Double>> local = Map.of(
                "server", Map.of("w", 1.0, "x", 1.0),
                "w", Map.of("y", 1.0),
                "x", Map.of("y", 1.0));
        var credible = EigenTrust.compute(local, Map.of(), Set.of(), Set.of("server"), A, 500, 1e-13);
        var discredited = EigenTrust.compute(local, Map.of("w", 0.0, "x", 0.0), Set.of(), Set.of("server"), A, 500,
                1e-13);
        assertThat(credible.of("y")).isPositive();
        assertThat(discredited.of("y")).isZero();
        assertThat(discredited.of("server")).isGreaterThan(credible.of("server"));
        var half = EigenTrust.compute(local, Map.of("w", 0.5, "x", 0.5), Set.of(), Set.of("server"), A, 500, 1e-13);
        assertThat(half.of("y")).isBetween(discredited.of("y"), credible.of("y"));
    }

    @Test
    void theResultDoesNotDependOnMapOrder() {
        Map<String, Map<String, Double>> hashed = new HashMap<>(), sorted = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            Map<String, Double> h = new HashMap<>(), s = new TreeMap<>();
            for (int j = 0; j < 40; j += 1 + (i % 3)) {
                double v = (i * 31 + j * 17) % 11 / 7.0;
                h.put("p" + j, v);
                s.put("p" + j, v);
            }
            hashed.put("p" + i, h);
            sorted.put("p" + i, s);
        }
        assertThat(run(hashed, Set.of("p0", "p7"))).isEqualTo(run(sorted, Set.of("p7", "p0")));
    }

    @Test
    void anIterationLimitIsReportedAsNotConverged() {
        var r = EigenTrust.compute(Map.of("s", Map.of("a", 1.0), "a", Map.of("s", 1.0)), Set.of(), Set.of("s"), A, 2,
                1e-15);
        assertThat(r.iterations()).isEqualTo(2);
        assertThat(r.converged()).isFalse();
        assertThat(run(Map.of(), Set.of()).trust()).isEmpty();
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> EigenTrust.compute(Map.of(), Set.of(), Set.of(), 0, 10, 1e-9))
                .hasMessage("damping must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> EigenTrust.compute(Map.of(), Set.of(), Set.of(), 0.15, 0, 1e-9))
                .hasMessage("max iterations must be at least 1, got 0");
    }
}
