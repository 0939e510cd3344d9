package dev.hypha.server;

import dev.hypha.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cluster's shared secrets: the admin token, the agents' join token and the gossip key.
 *
 * <p>They live in the state store, so every server of a cluster accepts the same tokens; the first
 * server to start creates them (a create-if-absent, so two servers starting at once agree). Each
 * server also writes them to {@code DATA/admin.token} and {@code DATA/join.token} with mode 0600,
 * which is where the CLI and local agents find them.
 */
public final class ClusterSecrets {
    public static final String ADMIN_TOKEN = "admin-token";
    public static final String JOIN_TOKEN = "join-token";
    public static final String GOSSIP_KEY = "gossip-key";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String adminToken;
    private final String joinToken;
    private final String gossipKey;

    private ClusterSecrets(String adminToken, String joinToken, String gossipKey) {
        this.adminToken = adminToken;
        this.joinToken = joinToken;
        this.gossipKey = gossipKey;
    }

    public static ClusterSecrets loadOrCreate(StateStore store, Path dataDir) {
        String admin = ensure(store, ADMIN_TOKEN, 32);
        String join = ensure(store, JOIN_TOKEN, 32);
        String gossip = ensure(store, GOSSIP_KEY, () -> Base64.getEncoder().encodeToString(randomBytes(32)));
        writePrivate(dataDir.resolve("admin.token"), admin);
        writePrivate(dataDir.resolve("join.token"), join);
        return new ClusterSecrets(admin, join, gossip);
    }

    private static String ensure(StateStore store, String name, int bytes) {
        return ensure(store, name, () -> random(bytes));
    }

    private static String ensure(StateStore store, String name, java.util.function.Supplier<String> fresh) {
        return store.secrets().value(name).orElseGet(() -> {
            store.secrets().create(name, fresh.get());
            return store.secrets().value(name).orElseThrow();
        });
    }

    static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    private static byte[] randomBytes(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Writes a secret file readable only by its owner, atomically (never a half-written token). */
    public static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public String adminToken() {
        return adminToken;
    }

    public String joinToken() {
        return joinToken;
    }

    /** The gossip key: 32 random bytes (AES-256) in standard base64, as gossip keyrings read it. */
    public String gossipKey() {
        return gossipKey;
    }

    /** Constant-time comparison, so response timing does not reveal how much of a token was right. */
    public static boolean matches(String expected, String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
