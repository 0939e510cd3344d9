package dev.hypha.server.economy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hypha.model.Resources;
import dev.hypha.model.Validation;
import java.time.Duration;

/**
 * The body of {@code POST /api/v1/nodes/{id}/pledge}: which workload the node pledges to, what,
 * and for how long.
 *
 * <pre>{"to_workload": "web", "cpu_millicores": 500, "memory_mb": 256, "disk_mb": 0, "duration_seconds": 3600}</pre>
 *
 * @param durationSeconds the pledge's term, paid for up front; one hour when left out
 */
public record PledgeRequest(String toWorkload, long cpuMillicores, long memoryMb, long diskMb, long durationSeconds) {
    public static final long DEFAULT_DURATION_SECONDS = 3_600;

    public PledgeRequest {
        Validation.name("to_workload", toWorkload);
    }

    /** The JSON form: resources left out are zero, the duration one hour. */
    @JsonCreator
    public static PledgeRequest fromJson(@JsonProperty("to_workload") String toWorkload,
                                         @JsonProperty("cpu_millicores") Long cpuMillicores,
                                         @JsonProperty("memory_mb") Long memoryMb,
                                         @JsonProperty("disk_mb") Long diskMb,
                                         @JsonProperty("duration_seconds") Long durationSeconds) {
        return new PledgeRequest(toWorkload, cpuMillicores == null ? 0 : cpuMillicores, memoryMb == null ? 0 : memoryMb,
                diskMb == null ? 0 : diskMb, durationSeconds == null ? DEFAULT_DURATION_SECONDS : durationSeconds);
    }

    /** The pledged resources; throws with the field's name when one is out of range. */
    public Resources resources() {
        return new Resources(cpuMillicores, memoryMb, diskMb);
    }

    public Duration duration() {
        return Duration.ofSeconds(durationSeconds);
    }
}
