package io.edgepush.protocol.amf0;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java values as AMF0 (Adobe "Action Message Format -- AMF 0", section 2).
 *
 * <p>All methods append to {@code out} at its writer index and <b>borrow</b> it: the caller keeps ownership and
 * must release it. The buffer grows as needed. When a composite value cannot be encoded (unsupported element
 * type, nesting deeper than {@link Amf0#MAX_DEPTH}, a key longer than 65535 UTF-8 bytes) the method throws
 * {@link IllegalArgumentException} and restores {@code out}'s writer index, so nothing partial is left behind.
 */
final class Amf0Writer {

    private Amf0Writer() {
    }

    /** Writes number-marker 0x00 and the IEEE-754 double, big-endian (2.2). Borrows {@code out}. */
    public static void writeNumber(ByteBuf out, double value) {
        out.writeByte(Amf0.NUMBER);
        out.writeDouble(value);
    }

    /** Writes boolean-marker 0x01 and 0x01 (true) or 0x00 (false) (2.3). Borrows {@code out}. */
    public static void writeBoolean(ByteBuf out, boolean value) {
        out.writeByte(Amf0.BOOLEAN);
        out.writeByte(value ? 1 : 0);
    }

    /**
     * Writes a string: string-marker 0x02 + U16 length + UTF-8 (2.4), or long-string-marker 0x0C + U32 length
     * + UTF-8 (2.14) when the UTF-8 form is longer than 65535 bytes. Borrows {@code out}.
     *
     * @throws NullPointerException if {@code value} is null (use {@link #writeNull})
     */
    public static void writeString(ByteBuf out, String value) {
        int length = ByteBufUtil.utf8Bytes(value);
        if (length > Amf0.MAX_SHORT_STRING_BYTES) {
            out.writeByte(Amf0.LONG_STRING);
            out.writeInt(length);
        } else {
            out.writeByte(Amf0.STRING);
            out.writeShort(length);
        }
        out.writeCharSequence(value, StandardCharsets.UTF_8);
    }

    /** Writes null-marker 0x05 (2.7). Borrows {@code out}. */
    public static void writeNull(ByteBuf out) {
        out.writeByte(Amf0.NULL);
    }

    /** Writes undefined-marker 0x06 (2.8). Borrows {@code out}. */
    public static void writeUndefined(ByteBuf out) {
        out.writeByte(Amf0.UNDEFINED_MARKER);
    }

    /**
     * Writes an anonymous object (2.5): 0x03, then per entry a UTF-8 key (U16 length, no marker) and its value
     * (as {@link #writeValue}), then the object end 00 00 09 (2.11). Entries are written in map iteration order.
     * Borrows {@code out}.
     *
     * @throws IllegalArgumentException on an unsupported value, too deep nesting or a too long key
     */
    public static void writeObject(ByteBuf out, Map<String, ?> properties) {
        int start = out.writerIndex();
        try {
            writeObject(out, properties, 1);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Writes an ECMA array (2.10): 0x08, U32 associative-count = {@code properties.size()}, the entries as in
     * {@link #writeObject}, then 00 00 09. This is the shape of onMetaData (FLV spec E.5). Borrows {@code out}.
     *
     * @throws IllegalArgumentException on an unsupported value, too deep nesting or a too long key
     */
    public static void writeEcmaArray(ByteBuf out, Map<String, ?> properties) {
        int start = out.writerIndex();
        try {
            writeEcmaArray(out, properties, 1);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Writes a strict array (2.12): 0x0A, U32 array-count, then each element as {@link #writeValue}.
     * Borrows {@code out}.
     *
     * @throws IllegalArgumentException on an unsupported element or too deep nesting
     */
    public static void writeStrictArray(ByteBuf out, List<?> values) {
        int start = out.writerIndex();
        try {
            writeStrictArray(out, values, 1);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Writes any supported value, dispatching on its Java type: {@code null} -> null (2.7), {@link Number} ->
     * number (2.2, as double), {@link Boolean} -> boolean (2.3), {@link CharSequence} -> string / long string,
     * {@link Map} with String keys -> anonymous object (2.5), {@link List} -> strict array (2.12),
     * {@link Amf0#UNDEFINED} -> undefined (2.8). Borrows {@code out}.
     *
     * @throws IllegalArgumentException on any other type (the writer index is restored)
     */
    public static void writeValue(ByteBuf out, Object value) {
        int start = out.writerIndex();
        try {
            writeValue(out, value, 0);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    private static void writeValue(ByteBuf out, Object value, int depth) {
        if (value == null) {
            writeNull(out);
        } else if (value == Amf0.UNDEFINED) {
            writeUndefined(out);
        } else if (value instanceof Number n) {
            writeNumber(out, n.doubleValue());
        } else if (value instanceof Boolean b) {
            writeBoolean(out, b);
        } else if (value instanceof CharSequence s) {
            writeString(out, s.toString());
        } else if (value instanceof Map<?, ?> m) {
            writeObject(out, m, depth + 1);
        } else if (value instanceof List<?> l) {
            writeStrictArray(out, l, depth + 1);
        } else {
            throw new IllegalArgumentException("AMF0 cannot encode a value of type " + value.getClass().getName());
        }
    }

    private static void writeObject(ByteBuf out, Map<?, ?> properties, int depth) {
        checkDepth(depth);
        out.writeByte(Amf0.OBJECT);
        writeProperties(out, properties, depth);
    }

    private static void writeEcmaArray(ByteBuf out, Map<?, ?> properties, int depth) {
        checkDepth(depth);
        out.writeByte(Amf0.ECMA_ARRAY);
        out.writeInt(properties.size());
        writeProperties(out, properties, depth);
    }

    private static void writeStrictArray(ByteBuf out, List<?> values, int depth) {
        checkDepth(depth);
        out.writeByte(Amf0.STRICT_ARRAY);
        out.writeInt(values.size());
        for (Object v : values) {
            writeValue(out, v, depth);
        }
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> properties, int depth) {
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("AMF0 property keys must be Strings, got " + e.getKey());
            }
            int length = ByteBufUtil.utf8Bytes(key);
            if (length > Amf0.MAX_SHORT_STRING_BYTES) {
                throw new IllegalArgumentException("AMF0 property key longer than 65535 UTF-8 bytes: " + length);
            }
            out.writeShort(length);
            out.writeCharSequence(key, StandardCharsets.UTF_8);
            writeValue(out, e.getValue(), depth);
        }
        out.writeShort(0);
        out.writeByte(Amf0.OBJECT_END);
    }

    private static void checkDepth(int depth) {
        if (depth > Amf0.MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "AMF0 nesting deeper than " + Amf0.MAX_DEPTH + " levels (cyclic map or list?)");
        }
    }
}
