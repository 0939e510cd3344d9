package dev.hypha.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named by pid and kernel start time, so that a recycled pid is not mistaken for it.
 *
 * <p>runc decides "stopped" the same way: the pid is gone, a zombie, or now belongs to a process
 * with another start time.
 *
 * @param startTicks field 22 of {@code /proc/<pid>/stat}: start time in clock ticks since boot
 */
record ProcessIdentity(long pid, long startTicks) {

    /** The identity of a live (non-zombie) process now, or empty. */
    static Optional<ProcessIdentity> of(long pid) {
        return stat(pid).filter(s -> s.state != 'Z').map(s -> new ProcessIdentity(pid, s.startTicks));
    }

    /** Whether this process still runs (exists, is no zombie, and has the same start time). */
    boolean alive() {
        return stat(pid).map(s -> s.state != 'Z' && s.startTicks == startTicks).orElse(false);
    }

    private record Stat(char state, long startTicks) {}

    private static Optional<Stat> stat(long pid) {
        if (pid <= 0) return Optional.empty();
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        return parseStat(text);
    }

    /** Parses a stat line; the command name in parentheses may contain spaces and ')' so fields count from the last ')'. */
    private static Optional<Stat> parseStat(String text) {
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 >= text.length()) return Optional.empty();
        String[] f = text.substring(close + 2).strip().split(" ");
        // f[0] is field 3 (state); field 22 (starttime) is f[19].
        if (f.length < 20 || f[0].isEmpty()) return Optional.empty();
        try {
            return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
