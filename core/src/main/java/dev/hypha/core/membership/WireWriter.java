package dev.hypha.core.membership;

import java.util.Arrays;

/** Appends the primitives of the SWIM wire format to a growing byte array. Not thread-safe. */
final class WireWriter {
    private byte[] buffer;
    private int length;

    WireWriter(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    void u8(int value) {
        ensure(1);
        buffer[length++] = (byte) value;
    }

    /** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last byte. */
    void varint(long value) {
        if (value < 0) throw new IllegalArgumentException("varint must not be negative: " + value);
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[length++] = (byte) value;
    }

    void fixed64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) buffer[length++] = (byte) (value >>> shift);
    }

    void bytes(byte[] value) {
        varint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
    }

    /** A string as its UTF-8 length and bytes; an unpaired surrogate becomes '?', as String.getBytes does. */
    void string(String value) {
        int utf8 = utf8Length(value);
        varint(utf8);
        ensure(utf8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buffer[length++] = (byte) c;
            } else if (c < 0x800) {
                buffer[length++] = (byte) (0xC0 | (c >> 6));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer[length++] = (byte) (0xF0 | (cp >> 18));
                buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buffer[length++] = (byte) '?';
            } else {
                buffer[length++] = (byte) (0xE0 | (c >> 12));
                buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    int length() {
        return length;
    }

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            size++;
            value >>>= 7;
        }
        return size;
    }

    static int stringSize(String value) {
        int utf8 = utf8Length(value);
        return varintSize(utf8) + utf8;
    }

    static int utf8Length(String value) {
        int n = value.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 2; // four bytes for two chars
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
        }
        return bytes;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
