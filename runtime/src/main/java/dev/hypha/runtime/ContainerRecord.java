package dev.hypha.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Hypha remembers about one container beside the OCI runtime's own state, in
 * {@code BUNDLE/hypha.json}: its init process's identity and its cgroup directories.
 *
 * <p>The cgroup directories are recorded while the init is alive, because they are needed after
 * it is gone: to read the OOM-kill counter of a stopped container and to remove the empty
 * {@code hypha} parents after {@code runc delete}. Kept in the bundle so that a new agent
 * process adopting the container finds it.
 *
 * <p>With {@code started} it also answers most state questions without running the runtime
 * binary (see {@link OciCliRuntime#state}): the init's identity tells running from stopped the way
 * the runtime itself does, and {@code started} tells running from merely created.
 *
 * @param cgroups v1 controller to directory
 * @param unified the cgroup v2 directory, or null
 * @param created when the container was created (ISO-8601), or null in records written before it was kept
 * @param started Hypha started the container ({@code run}, or {@code create} then {@code start});
 *                false in records written before it was kept, which then leave the question to the runtime
 */
record ContainerRecord(String id, String image, String imageDigest, String logPath, long pid, long startTicks,
                       Map<String, String> cgroups, String unified, String created, boolean started) {
    static final String FILE = "hypha.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ContainerRecord {
        cgroups = Map.copyOf(cgroups);
    }

    static ContainerRecord of(String id, String image, String imageDigest, String logPath, ProcessIdentity init,
                              CgroupPaths paths, Instant created, boolean started) {
        Map<String, String> cgroups = new HashMap<>();
        paths.controllers().forEach((k, v) -> cgroups.put(k, v.toString()));
        return new ContainerRecord(id, image, imageDigest, logPath, init.pid(), init.startTicks(), cgroups,
                paths.unified().map(Path::toString).orElse(null), created.toString(), started);
    }

    /** The same record, noting that the container has been started. */
    ContainerRecord asStarted() {
        return new ContainerRecord(id, image, imageDigest, logPath, pid, startTicks, cgroups, unified, created, true);
    }

    /** When the container was created; null when the record does not say or is unreadable there. */
    Instant createdAt() {
        if (created == null) return null;
        try {
            return Instant.parse(created);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    ProcessIdentity init() {
        return new ProcessIdentity(pid, startTicks);
    }

    CgroupPaths cgroupPaths() {
        Map<String, Path> controllers = new HashMap<>();
        cgroups.forEach((k, v) -> controllers.put(k, Path.of(v)));
        return new CgroupPaths(controllers, Optional.ofNullable(unified).map(Path::of));
    }

    void write(Path bundle) throws IOException {
        Path tmp = bundle.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        Files.move(tmp, bundle.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Optional<ContainerRecord> read(Path bundle) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(bundle.resolve(FILE)), ContainerRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A record torn by a crash mid-write: the container is still listed by the runtime,
            // only its exit code and cgroup clean-up are lost.
            return Optional.empty();
        }
    }
}
