package dev.hypha.server.economy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories in {@code /dev/shm} where the machine has it, else the default temp dir.
 *
 * <p>Why: SQLite syncs every commit to disk, and a property test that runs thousands of commits
 * would spend its time waiting for a shared disk; these tests are about the economy's logic, and
 * the store's durability is tested by its own suite on real disks.
 */
final class MemoryBackedTempDir implements TempDirFactory {
    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) return Files.createTempDirectory(SHM, "hypha-economy-");
        return Files.createTempDirectory("hypha-economy-");
    }
}
