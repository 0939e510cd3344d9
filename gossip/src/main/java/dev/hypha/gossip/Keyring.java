package dev.hypha.gossip;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's gossip keys: seals every packet with AES-256-GCM under the primary key and opens
 * packets sealed under any installed key, so keys can rotate without a flag day.
 *
 * <p>Rotation: {@link #add} the new key on every member, then {@link #use} it on every member, then
 * {@link #remove} the old one everywhere. At each step every member can still open what every other
 * member seals.
 *
 * <p>A sealed packet is {@code version (1) | key id (4) | nonce (12) | ciphertext | tag (16)}. The
 * version and key id are the associated data, so they cannot be altered; the key id (the first four
 * bytes of the key's SHA-256) only says which key to try first. Nonces are random: at 2^32 packets per
 * key the chance of a repeat is about 2^-33, so rotate long before that. Thread-safe.
 */
public final class Keyring {
    public static final int KEY_BYTES = 32;
    public static final int VERSION = 1;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    private static final int HEADER_BYTES = 1 + 4;
    /** Bytes sealing adds to a packet. */
    public static final int OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One installed key. */
    private record Key(byte[] bytes, int id, SecretKeySpec spec) {
        static Key of(byte[] bytes) {
            if (bytes == null || bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("a gossip key must be " + KEY_BYTES + " bytes (AES-256), got "
                        + (bytes == null ? "none" : bytes.length + " bytes"));
            }
            byte[] copy = bytes.clone();
            return new Key(copy, keyId(copy), new SecretKeySpec(copy, "AES"));
        }

        boolean sameAs(byte[] other) {
            return MessageDigest.isEqual(bytes, other);
        }
    }

    /** The primary first, then the others; replaced whole on every change. */
    private volatile List<Key> keys;

    private Keyring(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** A keyring that seals with {@code primary} and also opens with {@code others}. */
    public static Keyring of(byte[] primary, byte[]... others) {
        List<Key> keys = new ArrayList<>();
        keys.add(Key.of(primary));
        for (byte[] k : others) {
            if (keys.stream().noneMatch(existing -> existing.sameAs(k))) keys.add(Key.of(k));
        }
        return new Keyring(keys);
    }

    /** A fresh random 256-bit key. */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Decodes a key written in base64, as in configuration files. */
    public static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a gossip key must be base64: " + e.getMessage(), e);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a gossip key must decode to " + KEY_BYTES + " bytes, got " + key.length);
        }
        return key;
    }

    /** The id written in front of packets sealed under {@code key}: its SHA-256, first four bytes. */
    public static int keyId(byte[] key) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(key)).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    // ---- rotation -------------------------------------------------------------------------------

    /** Installs {@code key} for opening; sealing keeps the primary. */
    public synchronized void add(byte[] key) {
        if (keys.stream().anyMatch(k -> k.sameAs(key))) return;
        List<Key> next = new ArrayList<>(keys);
        next.add(Key.of(key));
        keys = List.copyOf(next);
    }

    /** Makes the installed {@code key} the primary: from now on packets are sealed with it. */
    public synchronized void use(byte[] key) {
        List<Key> next = new ArrayList<>(keys);
        Key chosen = next.stream().filter(k -> k.sameAs(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("key " + describe(key) + " is not installed; add it first"));
        next.remove(chosen);
        next.addFirst(chosen);
        keys = List.copyOf(next);
    }

    /** Uninstalls {@code key}; the primary cannot be removed (use another key first). */
    public synchronized void remove(byte[] key) {
        if (keys.getFirst().sameAs(key)) {
            throw new IllegalStateException("key " + describe(key) + " is the primary; use another key before removing it");
        }
        keys = keys.stream().filter(k -> !k.sameAs(key)).toList();
    }

    /** Copies of the installed keys, the primary first. */
    public List<byte[]> keys() {
        return keys.stream().map(k -> k.bytes().clone()).toList();
    }

    public byte[] primaryKey() {
        return keys.getFirst().bytes().clone();
    }

    // ---- sealing --------------------------------------------------------------------------------

    /** Encrypts and authenticates {@code plaintext} under the primary key. */
    public byte[] seal(byte[] plaintext) {
        Key key = keys.getFirst();
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = VERSION;
        ByteBuffer.wrap(out, 1, 4).putInt(key.id());
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, HEADER_BYTES, NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(out, 0, HEADER_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_BYTES + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available to seal a packet", e);
        }
        return out;
    }

    /**
     * Checks and decrypts a sealed packet, trying the key its id names first, then every other
     * installed key.
     *
     * @throws RejectedPacketException when no installed key authenticates it, or it is not sealed
     *                                 in a version this member speaks
     */
    public byte[] open(byte[] sealed) throws RejectedPacketException {
        if (sealed.length < OVERHEAD) {
            throw new RejectedPacketException("sealed packet of " + sealed.length + " bytes is shorter than the "
                    + OVERHEAD + "-byte envelope");
        }
        if (sealed[0] != VERSION) {
            throw new RejectedPacketException("unsupported envelope version " + (sealed[0] & 0xFF));
        }
        int id = ByteBuffer.wrap(sealed, 1, 4).getInt();
        List<Key> installed = keys;
        for (Key key : installed) {
            if (key.id() == id) {
                byte[] plain = tryOpen(key, sealed);
                if (plain != null) return plain;
            }
        }
        for (Key key : installed) {
            if (key.id() != id) {
                byte[] plain = tryOpen(key, sealed);
                if (plain != null) return plain;
            }
        }
        throw new RejectedPacketException("no installed key authenticates the packet (key id "
                + HexFormat.of().toHexDigits(id) + ")");
    }

    private static byte[] tryOpen(Key key, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, sealed, HEADER_BYTES,
                    NONCE_BYTES));
            cipher.updateAAD(sealed, 0, HEADER_BYTES);
            return cipher.doFinal(sealed, HEADER_BYTES + NONCE_BYTES, sealed.length - HEADER_BYTES - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available to open a packet", e);
        }
    }

    private static String describe(byte[] key) {
        return key == null ? "(none)" : "with id " + HexFormat.of().toHexDigits(keyId(key));
    }

    @Override
    public String toString() {
        return "Keyring" + keys.stream().map(k -> HexFormat.of().toHexDigits(k.id())).toList();
    }
}
