package dev.hypha.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of an OCI image configuration that decides how its process runs.
 *
 * @param entrypoint the image's Entrypoint, possibly empty
 * @param cmd        the image's Cmd (arguments to the entrypoint, or the command when there is none)
 * @param env        "NAME=value" entries
 * @param workingDir the directory the process starts in; empty means "/"
 * @param user       "uid", "uid:gid", "name" or "name:group"; empty means root
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                          String user) {
    public static final ImageConfig EMPTY = new ImageConfig(List.of(), List.of(), List.of(), "", "");

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
    }

    /** Reads the {@code config} object of an image configuration blob (missing fields are empty). */
    static ImageConfig fromBlob(JsonNode blob) {
        JsonNode c = blob.path("config");
        return new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
