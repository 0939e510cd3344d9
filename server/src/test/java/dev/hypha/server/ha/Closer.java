package dev.hypha.server.ha;

/** Closes test resources in order, each even if an earlier one failed, so no etcd or JVM outlives a failed test. */
final class Closer {
    private Closer() {}

    /** Closes every non-null resource; rethrows the first failure after trying them all. */
    static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            if (r == null) continue;
            try {
                r.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                RuntimeException wrapped = new IllegalStateException("closing " + r + " failed: " + e.getMessage(), e);
                if (first == null) first = wrapped;
                else first.addSuppressed(wrapped);
            }
        }
        if (first != null) throw first;
    }
}
