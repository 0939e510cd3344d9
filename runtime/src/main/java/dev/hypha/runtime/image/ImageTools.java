package dev.hypha.runtime.image;

import dev.hypha.runtime.Executables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The host programs the image store drives, and how long one of their runs may take.
 *
 * @param umoci   unpacks images and builds the busybox image; required for those two
 * @param skopeo  copies registry images; optional, pulls fail with a clear message without it
 * @param timeout the deadline for one tool run (unpacking a large image takes a while)
 */
public record ImageTools(Optional<Path> umoci, Optional<Path> skopeo, Path tar, Path cp, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public ImageTools {
        Objects.requireNonNull(umoci, "umoci");
        Objects.requireNonNull(skopeo, "skopeo");
        Objects.requireNonNull(tar, "tar");
        Objects.requireNonNull(cp, "cp");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    }

    /** The tools found on this host's search path. */
    public static ImageTools fromPath() {
        return new ImageTools(Executables.find("umoci"), Executables.find("skopeo"),
                Executables.find("tar").orElse(Path.of("tar")), Executables.find("cp").orElse(Path.of("cp")),
                DEFAULT_TIMEOUT);
    }

    public ImageTools withSkopeo(Optional<Path> skopeo) {
        return new ImageTools(umoci, skopeo, tar, cp, timeout);
    }

    Path requireUmoci(String forWhat) {
        return umoci.orElseThrow(() -> new ImageStoreException(forWhat + " needs umoci, which is not installed:"
                + " install it (apt-get install umoci)"));
    }
}
