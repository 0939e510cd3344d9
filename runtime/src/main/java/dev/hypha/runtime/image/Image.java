package dev.hypha.runtime.image;

import java.time.Instant;
import java.util.Objects;

/**
 * One named image in the store.
 *
 * @param name      the name it was imported under (the layout's {@code org.opencontainers.image.ref.name})
 * @param digest    the manifest digest, "sha256:…": what is unpacked and cached
 * @param sizeBytes manifest, configuration and (compressed) layers together
 * @param created   the configuration's creation time, null when the image does not say
 */
public record Image(String name, String digest, long sizeBytes, Instant created, ImageConfig config) {
    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(config, "config");
    }

    /** The hex part of the digest, used to name cache directories. */
    public String digestHex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
