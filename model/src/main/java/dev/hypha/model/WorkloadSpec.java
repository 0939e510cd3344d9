package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a user asks for: run {@code replicas} copies of {@code image} with these resources.
 *
 * <p>Optional fields get their defaults here, so every stored spec is complete: one replica,
 * 100m cpu and 64 MiB, restart always, member "default", no liveness check.
 *
 * @param liveness how the agent checks that a running replica still works, or null for no check
 */
public record WorkloadSpec(
        String name,
        String image,
        List<String> command,
        int replicas,
        Resources resources,
        RestartPolicy restartPolicy,
        String member,
        Map<String, String> env,
        PlacementConstraints placement,
        @JsonInclude(JsonInclude.Include.NON_NULL) LivenessSpec liveness) {

    public static final int MAX_REPLICAS = 10_000;
    public static final Resources DEFAULT_RESOURCES = new Resources(100, 64, 0);
    public static final String DEFAULT_MEMBER = "default";

    public WorkloadSpec {
        Validation.name("name", name);
        Validation.nonBlank("image", image);
        command = command == null ? List.of() : List.copyOf(command);
        Validation.range("replicas", replicas, 0, MAX_REPLICAS);
        resources = (resources == null ? DEFAULT_RESOURCES : resources).requireRequest();
        restartPolicy = restartPolicy == null ? RestartPolicy.ALWAYS : restartPolicy;
        member = member == null ? DEFAULT_MEMBER : Validation.name("member", member);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
        for (String k : env.keySet()) {
            if (k.isEmpty() || k.contains("=")) throw new InvalidSpecException("env name '" + k + "' is not valid");
        }
        placement = placement == null ? PlacementConstraints.NONE : placement;
    }

    /** A spec without a liveness check (the form most callers build). */
    public WorkloadSpec(String name, String image, List<String> command, int replicas, Resources resources,
                        RestartPolicy restartPolicy, String member, Map<String, String> env,
                        PlacementConstraints placement) {
        this(name, image, command, replicas, resources, restartPolicy, member, env, placement, null);
    }

    /** The JSON form: every field but name and image may be left out and takes its default (replicas 1). */
    @JsonCreator
    public static WorkloadSpec fromJson(@JsonProperty("name") String name, @JsonProperty("image") String image,
                                        @JsonProperty("command") List<String> command,
                                        @JsonProperty("replicas") Integer replicas,
                                        @JsonProperty("resources") Resources resources,
                                        @JsonProperty("restart_policy") RestartPolicy restartPolicy,
                                        @JsonProperty("member") String member,
                                        @JsonProperty("env") Map<String, String> env,
                                        @JsonProperty("placement") PlacementConstraints placement,
                                        @JsonProperty("liveness") LivenessSpec liveness) {
        return new WorkloadSpec(name, image, command, replicas == null ? 1 : replicas, resources, restartPolicy, member,
                env, placement, liveness);
    }

    public WorkloadSpec withReplicas(int n) {
        return new WorkloadSpec(name, image, command, n, resources, restartPolicy, member, env, placement, liveness);
    }

    public WorkloadSpec withLiveness(LivenessSpec check) {
        return new WorkloadSpec(name, image, command, replicas, resources, restartPolicy, member, env, placement, check);
    }

    /**
     * Whether a running replica of {@code other} must be replaced to become one of this spec:
     * image, command, env, resources, restart policy or liveness check changed (replica count and
     * placement do not need it).
     */
    public boolean templateDiffers(WorkloadSpec other) {
        return !image.equals(other.image) || !command.equals(other.command) || !env.equals(other.env)
                || !resources.equals(other.resources) || restartPolicy != other.restartPolicy
                || !Objects.equals(liveness, other.liveness);
    }
}
