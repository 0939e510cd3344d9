package dev.hypha.agent;

import dev.hypha.runtime.OciCliRuntime;
import dev.hypha.runtime.OciRuntimeConfig;
import dev.hypha.runtime.image.BusyboxImage;
import dev.hypha.runtime.image.ImageStore;
import dev.hypha.spi.ContainerRuntime;
import dev.hypha.testkit.FakeRuntime;
import java.time.InstantSource;

/** Builds the container runtime named by {@code --runtime}, with the node's image store when it has one. */
public final class Runtimes {
    private Runtimes() {}

    /** A runtime and the image store it runs from (null for the fake runtime). */
    public record NodeRuntime(ContainerRuntime runtime, ImageStore images) {}

    public static NodeRuntime create(AgentConfig config) {
        return switch (config.runtime()) {
            case "fake" -> new NodeRuntime(new FakeRuntime(InstantSource.system(), config.fakeFailureRate(), System.nanoTime()),
                    null);
            case "runc", "crun", "youki" -> {
                ImageStore images = new ImageStore(config.dataDir().resolve("images"));
                OciCliRuntime runtime = OciCliRuntime.open(OciRuntimeConfig.named(config.runtime(), config.dataDir()), images);
                // Every node offers the built-in busybox image, so a first workload needs no registry.
                BusyboxImage.ensure(images);
                yield new NodeRuntime(runtime, images);
            }
            default -> throw new IllegalArgumentException("unknown --runtime '" + config.runtime()
                    + "': use runc, crun, youki or fake");
        };
    }
}
