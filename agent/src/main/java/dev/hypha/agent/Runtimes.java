package dev.hypha.agent;

import dev.hypha.runtime.OciCliRuntime;
import dev.hypha.runtime.OciRuntimeConfig;
import dev.hypha.runtime.image.BusyboxImage;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.spi.ContainerRuntime;
import dev.hypha.testkit.FakeRuntime;
import java.time.InstantSource;

/** Builds the container runtime named by {@code --runtime}. */
public final class Runtimes {
    private Runtimes() {}

    public static ContainerRuntime create(AgentConfig config) {
        return switch (config.runtime()) {
            case "fake" -> new FakeRuntime(InstantSource.system(), config.fakeFailureRate(), System.nanoTime());
            case "runc", "crun", "youki" -> {
                ImageStore images = new ImageStore(config.dataDir().resolve("images"));
                OciCliRuntime runtime = OciCliRuntime.open(OciRuntimeConfig.named(config.runtime(), config.dataDir()), images);
                // Every node offers the built-in busybox image, so a first workload needs no registry.
                BusyboxImage.ensure(images);
                yield runtime;
            }
            default -> throw new IllegalArgumentException("unknown --runtime '" + config.runtime()
                    + "': use runc, crun, youki or fake");
        };
    }
}
