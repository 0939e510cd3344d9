package dev.hypha.store.kv;

import dev.hypha.spi.KvStore.Op;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Key checks and byte-wise prefix ranges shared by the backends.
 *
 * <p>Keys are compared and ordered as their UTF-8 bytes, as etcd does; a prefix {@code p} covers
 * the half-open byte range {@code [p, prefixEnd(p))}.
 */
final class KeySpace {
    private KeySpace() {}

    /** The UTF-8 bytes of a key; rejects null and empty keys (etcd refuses an empty key). */
    static byte[] keyBytes(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] prefixBytes(String prefix) {
        return Objects.requireNonNull(prefix, "prefix").getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The smallest byte string greater than every key starting with {@code prefix}; empty when no
     * such bound exists (an empty prefix, or one of only 0xFF bytes), meaning "to the end".
     */
    static Optional<byte[]> prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return Optional.of(end);
            }
        }
        return Optional.empty();
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Checks every op's key and that no key appears twice in one branch (etcd rejects that). */
    static void requireValidBranch(List<Op> ops, String branch) {
        Objects.requireNonNull(ops, branch);
        Set<String> seen = new HashSet<>();
        for (Op op : ops) {
            Objects.requireNonNull(op, () -> "an op in " + branch + " is null");
            keyBytes(op.key());
            if (op instanceof Op.Put put) {
                Objects.requireNonNull(put.value(), () -> "value of put " + put.key());
            }
            if (!seen.add(op.key())) {
                throw new IllegalArgumentException(
                        "transaction " + branch + " names key '" + op.key() + "' twice; each key may appear once per branch");
            }
        }
    }
}
