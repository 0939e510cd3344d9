package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Resources;
import dev.hypha.model.Validation;
import dev.hypha.model.WorkloadSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The program an intent runs: what a workload spec holds apart from its replica count and placement.
 *
 * @param resources what one replica asks for; default 100m cpu and 64 MiB, as for a workload
 */
public record IntentApplication(String image, List<String> command, Map<String, String> env, Resources resources) {

    public IntentApplication {
        Validation.nonBlank("application.image", image);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        for (String k : env.keySet()) {
            if (k.isEmpty() || k.contains("=")) {
                throw new InvalidSpecException("application.env name '" + k + "' is not valid: it must be non-empty"
                        + " and contain no '='");
            }
        }
        resources = (resources == null ? WorkloadSpec.DEFAULT_RESOURCES : resources).requireRequest();
    }

    /**
     * The JSON form, where {@code resources.disk_mb} may be left out (INTERFACES.md's example gives only
     * cpu and memory).
     */
    @JsonCreator
    static IntentApplication fromJson(@JsonProperty("image") String image,
                                      @JsonProperty("command") List<String> command,
                                      @JsonProperty("env") Map<String, String> env,
                                      @JsonProperty("resources") RequestedResources resources) {
        return new IntentApplication(image, command, env, resources == null ? null : resources.toResources());
    }

    /** Resources as written in a request: any field may be missing (cpu and memory then take the defaults, disk 0). */
    record RequestedResources(Long cpuMillicores, Long memoryMb, Long diskMb) {
        Resources toResources() {
            Resources d = WorkloadSpec.DEFAULT_RESOURCES;
            return new Resources(cpuMillicores == null ? d.cpuMillicores() : cpuMillicores,
                    memoryMb == null ? d.memoryMb() : memoryMb, diskMb == null ? 0 : diskMb);
        }
    }
}
