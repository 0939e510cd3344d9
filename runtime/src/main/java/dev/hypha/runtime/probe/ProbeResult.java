package dev.hypha.runtime.probe;

/** The outcome of one liveness check: healthy, or unhealthy with the reason a person can read. */
public sealed interface ProbeResult permits ProbeResult.Healthy, ProbeResult.Unhealthy {
    String detail();

    default boolean healthy() {
        return this instanceof Healthy;
    }

    record Healthy(String detail) implements ProbeResult {}

    record Unhealthy(String detail) implements ProbeResult {}
}
