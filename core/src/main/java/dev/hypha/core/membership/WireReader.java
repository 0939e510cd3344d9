package dev.hypha.core.membership;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitives of the SWIM wire format, refusing anything truncated, oversized or not UTF-8.
 * Every failure is a {@link MalformedMessageException} that says what was wrong and where.
 */
final class WireReader {
    private final byte[] data;
    private int position;

    WireReader(byte[] data) {
        this.data = data;
    }

    int u8(String what) {
        need(1, what);
        return data[position++] & 0xFF;
    }

    long varint(String what) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1, what);
            int b = data[position++] & 0xFF;
            if (shift == 63 && b > 1) throw malformed(what + " does not fit in 64 bits");
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) throw malformed(what + " is negative");
                return value;
            }
        }
        throw malformed(what + " is longer than 10 bytes");
    }

    /** A varint count or length that must not exceed {@code max} nor the bytes left. */
    int length(String what, int max) {
        long value = varint(what);
        if (value > max) throw malformed(what + " is " + value + ", more than the limit of " + max);
        if (value > remaining()) throw malformed(what + " is " + value + " but only " + remaining() + " bytes remain");
        return (int) value;
    }

    long fixed64(String what) {
        need(8, what);
        long value = 0;
        for (int i = 0; i < 8; i++) value = (value << 8) | (data[position++] & 0xFF);
        return value;
    }

    byte[] bytes(String what, int max) {
        int n = length(what + " length", max);
        byte[] out = new byte[n];
        System.arraycopy(data, position, out, 0, n);
        position += n;
        return out;
    }

    String string(String what, int maxBytes) {
        int n = length(what + " length", maxBytes);
        boolean ascii = true;
        for (int i = position; i < position + n; i++) {
            if (data[i] < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            s = new String(data, position, n, StandardCharsets.ISO_8859_1);
        } else {
            try {
                s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, position, n))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new MalformedMessageException(what + " at byte " + position + " is not valid UTF-8", e);
            }
        }
        position += n;
        return s;
    }

    int remaining() {
        return data.length - position;
    }

    void expectEnd(String what) {
        if (remaining() != 0) throw malformed(remaining() + " unexpected bytes after the " + what);
    }

    MalformedMessageException malformed(String message) {
        return new MalformedMessageException(message + " (at byte " + position + " of " + data.length + ")");
    }

    private void need(int n, String what) {
        if (remaining() < n) throw malformed("truncated: " + what + " needs " + n + " more bytes");
    }
}
