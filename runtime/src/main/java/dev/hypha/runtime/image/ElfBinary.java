package dev.hypha.runtime.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads just enough of an ELF executable to tell whether it is statically linked.
 *
 * <p>A dynamically linked busybox copied into an image fails at start with a baffling "no such
 * file or directory" (its loader is missing), so the busybox image checks first. An executable
 * is static when no program header is of type {@code PT_INTERP}.
 */
final class ElfBinary {
    private static final int PT_INTERP = 3;

    private ElfBinary() {}

    /** Whether {@code file} is an ELF executable without a program interpreter; false for anything else. */
    static boolean isStatic(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64);
            if (ch.read(header, 0) < 52) return false;
            header.flip();
            if (header.get(0) != 0x7f || header.get(1) != 'E' || header.get(2) != 'L' || header.get(3) != 'F') return false;
            boolean is64 = header.get(4) == 2;
            header.order(header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
            int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
            if (phentsize < 4 || phnum == 0) return false;
            ByteBuffer table = ByteBuffer.allocate(phentsize * phnum).order(header.order());
            if (ch.read(table, phoff) < table.capacity()) return false;
            for (int i = 0; i < phnum; i++) {
                if (table.getInt(i * phentsize) == PT_INTERP) return false;
            }
            return true;
        }
    }
}
