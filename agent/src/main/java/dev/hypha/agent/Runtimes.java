package dev.hypha.agent;

import dev.hypha.spi.ContainerRuntime;
import dev.hypha.testkit.FakeRuntime;
import java.time.InstantSource;

/** Builds the container runtime named by {@code --runtime}. */
public final class Runtimes {
    private Runtimes() {}

    public static ContainerRuntime create(AgentConfig config) {
        return switch (config.runtime()) {
            case "fake" -> new FakeRuntime(InstantSource.system(), config.fakeFailureRate(), System.nanoTime());
            default -> throw new IllegalArgumentException("unknown --runtime '" + config.runtime()
                    + "': use runc, crun, youki or fake");
        };
    }
}
