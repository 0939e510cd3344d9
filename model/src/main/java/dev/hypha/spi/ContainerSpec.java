package dev.hypha.spi;

import dev.hypha.model.Resources;
import java.util.List;
import java.util.Map;

/**
 * Everything a runtime needs to create one container.
 *
 * @param command empty means the image's own entrypoint and cmd
 * @param logPath file that receives the container's stdout and stderr
 */
public record ContainerSpec(String id, String image, List<String> command, Map<String, String> env,
                            Resources resources, String logPath) {
    public ContainerSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
