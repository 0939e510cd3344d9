package dev.hypha.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeyringTest {
    private static final byte[] K1 = key(1);
    private static final byte[] K2 = key(2);
    private static final byte[] K3 = key(3);

    @Test
    void sealedPacketsOpenAndCarryTheEnvelope() throws Exception {
        Keyring ring = Keyring.of(K1);
        byte[] plain = "ping".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = ring.seal(plain);
        assertThat(sealed).hasSize(plain.length + Keyring.OVERHEAD);
        assertThat(sealed[0]).isEqualTo((byte) Keyring.VERSION);
        assertThat(ring.open(sealed)).isEqualTo(plain);
    }

    @Test
    void everySealUsesAFreshNonce() {
        Keyring ring = Keyring.of(K1);
        assertThat(ring.seal(new byte[8])).isNotEqualTo(ring.seal(new byte[8]));
    }

    static LongStream seeds() {
        return LongStream.range(0, 30);
    }

    /** Flipping any bit anywhere (version, key id, nonce, ciphertext, tag) makes the packet rejected. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyTamperedByteIsRejected(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Keyring ring = Keyring.of(K1);
        byte[] plain = new byte[random.nextInt(64)];
        random.nextBytes(plain);
        byte[] sealed = ring.seal(plain);
        int index = random.nextInt(sealed.length);
        sealed[index] ^= (byte) (1 << random.nextInt(8));
        assertThatThrownBy(() -> ring.open(sealed)).as("seed %d, byte %d", seed, index)
                .isInstanceOf(RejectedPacketException.class);
    }

    @Test
    void aPacketSealedUnderAnotherKeyIsRejected() {
        byte[] sealed = Keyring.of(K2).seal(new byte[10]);
        assertThatThrownBy(() -> Keyring.of(K1).open(sealed))
                .isInstanceOf(RejectedPacketException.class)
                .hasMessageContaining("no installed key authenticates");
    }

    @Test
    void truncatedAndForeignEnvelopesAreRejected() {
        byte[] sealed = Keyring.of(K1).seal(new byte[10]);
        assertThatThrownBy(() -> Keyring.of(K1).open(java.util.Arrays.copyOf(sealed, 20)))
                .hasMessageContaining("shorter than");
        sealed[0] = 9;
        assertThatThrownBy(() -> Keyring.of(K1).open(sealed)).hasMessageContaining("unsupported envelope version 9");
    }

    @Test
    void rotationAddUseRemoveKeepsEveryStepReadable() throws Exception {
        Keyring a = Keyring.of(K1);
        Keyring b = Keyring.of(K1);
        // 1. Everyone installs the new key: still sealing with the old one.
        a.add(K2);
        b.add(K2);
        assertThat(b.open(a.seal(new byte[] {1}))).containsExactly(1);
        // 2. One member switches first: the other still opens it.
        a.use(K2);
        assertThat(b.open(a.seal(new byte[] {2}))).containsExactly(2);
        assertThat(a.open(b.seal(new byte[] {3}))).containsExactly(3);
        b.use(K2);
        // 3. The old key goes away.
        a.remove(K1);
        b.remove(K1);
        assertThat(a.keys()).hasSize(1);
        assertThat(a.primaryKey()).isEqualTo(K2);
        assertThat(b.open(a.seal(new byte[] {4}))).containsExactly(4);
        byte[] underOldKey = Keyring.of(K1).seal(new byte[] {5});
        assertThatThrownBy(() -> b.open(underOldKey)).isInstanceOf(RejectedPacketException.class);
    }

    @Test
    void thePrimaryCannotBeRemovedAndOnlyInstalledKeysCanBeUsed() {
        Keyring ring = Keyring.of(K1, K2);
        assertThatThrownBy(() -> ring.remove(K1)).hasMessageContaining("is the primary");
        assertThatThrownBy(() -> ring.use(K3)).hasMessageContaining("is not installed");
        ring.remove(K2);
        assertThat(ring.keys()).hasSize(1);
    }

    @Test
    void keysMustBe256BitsAndBase64DecodesThem() {
        assertThatThrownBy(() -> Keyring.of(new byte[16])).hasMessageContaining("must be 32 bytes");
        String text = Base64.getEncoder().encodeToString(K3);
        assertThat(Keyring.decodeKey(text + "\n")).isEqualTo(K3);
        assertThatThrownBy(() -> Keyring.decodeKey("c2hvcnQ=")).hasMessageContaining("must decode to 32 bytes");
        assertThatThrownBy(() -> Keyring.decodeKey("not base64!")).hasMessageContaining("must be base64");
    }

    @Test
    void theKeyringNeverShowsKeyBytes() {
        Keyring ring = Keyring.of(K1);
        assertThat(ring.toString()).doesNotContain(Base64.getEncoder().encodeToString(K1))
                .contains(java.util.HexFormat.of().toHexDigits(Keyring.keyId(K1)));
    }

    private static byte[] key(int seed) {
        byte[] k = new byte[Keyring.KEY_BYTES];
        new SplittableRandom(seed).nextBytes(k);
        return k;
    }
}
