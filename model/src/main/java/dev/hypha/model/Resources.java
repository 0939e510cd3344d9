package dev.hypha.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An amount of compute: cpu in millicores, memory and disk in MiB.
 *
 * <p>Used for requests (what a replica asks for), capacities and allocations. Upper bounds keep a
 * typo ("64000Gi") from becoming a request no machine can ever hold.
 */
public record Resources(long cpuMillicores, long memoryMb, long diskMb) {
    public static final long MAX_CPU_MILLICORES = 1_024_000; // 1024 cores
    public static final long MAX_MEMORY_MB = 16L * 1024 * 1024; // 16 TiB
    public static final long MAX_DISK_MB = 1024L * 1024 * 1024; // 1 PiB
    public static final Resources ZERO = new Resources(0, 0, 0);

    public Resources {
        Validation.range("cpu_millicores", cpuMillicores, 0, MAX_CPU_MILLICORES);
        Validation.range("memory_mb", memoryMb, 0, MAX_MEMORY_MB);
        Validation.range("disk_mb", diskMb, 0, MAX_DISK_MB);
    }

    /** The JSON form: a field left out is zero (so {"cpu_millicores":250,"memory_mb":64} needs no disk_mb). */
    @JsonCreator
    public static Resources fromJson(@JsonProperty("cpu_millicores") Long cpuMillicores,
                                     @JsonProperty("memory_mb") Long memoryMb, @JsonProperty("disk_mb") Long diskMb) {
        return new Resources(cpuMillicores == null ? 0 : cpuMillicores, memoryMb == null ? 0 : memoryMb,
                diskMb == null ? 0 : diskMb);
    }

    /** A replica's request: cpu and memory must be positive. */
    public Resources requireRequest() {
        if (cpuMillicores <= 0) throw new InvalidSpecException("resources.cpu_millicores must be positive");
        if (memoryMb <= 0) throw new InvalidSpecException("resources.memory_mb must be positive");
        return this;
    }

    public Resources plus(Resources o) {
        return new Resources(cpuMillicores + o.cpuMillicores, memoryMb + o.memoryMb, diskMb + o.diskMb);
    }

    /** Subtraction that never goes below zero (allocations are sums of non-negative requests). */
    public Resources minus(Resources o) {
        return new Resources(Math.max(0, cpuMillicores - o.cpuMillicores), Math.max(0, memoryMb - o.memoryMb),
                Math.max(0, diskMb - o.diskMb));
    }

    public Resources times(long n) {
        return new Resources(cpuMillicores * n, memoryMb * n, diskMb * n);
    }

    public boolean fitsIn(Resources o) {
        return cpuMillicores <= o.cpuMillicores && memoryMb <= o.memoryMb && diskMb <= o.diskMb;
    }
}
