package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** str8/str16 fields (PROTOCOL.md section 1): length prefix then UTF-8 bytes, no NUL. */
final class Strings {
    private Strings() {
    }

    static byte[] utf8(String s, int maxBytes, String field) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes) {
            throw new IllegalArgumentException(field + ": " + b.length + " UTF-8 bytes, at most " + maxBytes);
        }
        return b;
    }

    /** Reads a str8 (u8 length) or str16 (u16 length) from {@code in} (borrowed). */
    static String read(ByteBuf in, int lengthBytes, String field) {
        Messages.need(in, lengthBytes, field + " length");
        int n = lengthBytes == 1 ? in.readUnsignedByte() : in.readUnsignedShort();
        Messages.need(in, n, field);
        String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }
}
