package io.edgepush.protocol.amf0;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 values (Adobe "Action Message Format -- AMF 0", section 2) from untrusted input such as an RTMP
 * peer's command messages.
 *
 * <p>Result types: number -> {@link Double}; boolean -> {@link Boolean}; string and long string -> {@link String};
 * null -> {@code null}; undefined -> {@link Amf0#UNDEFINED}; anonymous object and ECMA array ->
 * {@code LinkedHashMap<String, Object>} in wire order; strict array -> {@code List<Object>}; date ->
 * {@link Double} milliseconds since the epoch (the time-zone field is skipped).
 *
 * <p>Every length and count is checked against the readable bytes before use and nesting is limited to
 * {@link Amf0#MAX_DEPTH}, so hostile input cannot cause large allocations or stack exhaustion. Malformed,
 * truncated or unsupported input (movieclip, reference, recordset, xml-document, typed-object, AMF3 switch)
 * raises {@link Amf0Exception} naming the problem and the buffer index; the reader index is then left where it
 * was before the call. The methods <b>borrow</b> {@code in}: the caller keeps ownership and releases it.
 */
final class Amf0Reader {

    private Amf0Reader() {
    }

    /**
     * Reads one value at the reader index and advances past it. Borrows {@code in}.
     *
     * @throws Amf0Exception on malformed, truncated, unsupported or too deeply nested data (reader index unchanged)
     */
    public static Object readValue(ByteBuf in) {
        int start = in.readerIndex();
        try {
            return readValue(in, 0);
        } catch (Amf0Exception e) {
            in.readerIndex(start);
            throw e;
        }
    }

    /**
     * Reads values until the buffer has no readable bytes, e.g. all arguments of an RTMP command message
     * (Adobe RTMP spec 7.1.1). Borrows {@code in}.
     *
     * @return the values in wire order (empty if nothing is readable)
     * @throws Amf0Exception as {@link #readValue}; the reader index is restored to where this call started
     */
    public static List<Object> readAll(ByteBuf in) {
        int start = in.readerIndex();
        List<Object> values = new ArrayList<>();
        try {
            while (in.isReadable()) {
                values.add(readValue(in, 0));
            }
        } catch (Amf0Exception e) {
            in.readerIndex(start);
            throw e;
        }
        return values;
    }

    private static Object readValue(ByteBuf in, int depth) {
        int at = in.readerIndex();
        need(in, 1, "type marker");
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf0.NUMBER:
                need(in, 8, "8-byte number");
                return in.readDouble();
            case Amf0.BOOLEAN:
                need(in, 1, "boolean byte");
                return in.readByte() != 0;
            case Amf0.STRING:
                return readUtf8(in, readLength16(in, "string length"), "string");
            case Amf0.OBJECT:
                checkDepth(depth + 1, at);
                return readProperties(in, depth + 1, -1);
            case Amf0.NULL:
                return null;
            case Amf0.UNDEFINED_MARKER:
                return Amf0.UNDEFINED;
            case Amf0.ECMA_ARRAY: {
                checkDepth(depth + 1, at);
                need(in, 4, "ECMA array count");
                long count = in.readUnsignedInt();
                return readProperties(in, depth + 1, count);
            }
            case Amf0.STRICT_ARRAY:
                checkDepth(depth + 1, at);
                return readStrictArray(in, depth + 1);
            case Amf0.DATE:
                need(in, 10, "date (8-byte double + 2-byte time zone)");
                double ms = in.readDouble();
                in.skipBytes(2);
                return ms;
            case Amf0.LONG_STRING: {
                need(in, 4, "long string length");
                long length = in.readUnsignedInt();
                return readUtf8(in, length, "long string");
            }
            case Amf0.OBJECT_END:
                throw new Amf0Exception("AMF0 object-end marker 0x09 outside an object", at);
            case Amf0.REFERENCE:
                throw new Amf0Exception("AMF0 reference type 0x07 is not supported", at);
            default:
                throw new Amf0Exception("AMF0 unsupported type marker " + Amf0.markerName(marker), at);
        }
    }

    /**
     * Reads properties (UTF-8 key, value) until the object end 00 00 09 (2.5, 2.11). For an ECMA array
     * ({@code ecmaCount >= 0}) the declared count is informational only: some servers write a wrong count, so
     * the end marker decides; an array whose end marker is missing is accepted only if exactly the declared
     * count was read and the buffer ends there. A repeated key keeps the last value.
     */
    private static Map<String, Object> readProperties(ByteBuf in, int depth, long ecmaCount) {
        Map<String, Object> map = new LinkedHashMap<>();
        long read = 0;
        while (true) {
            if (!in.isReadable() && ecmaCount >= 0 && read == ecmaCount) {
                return map;
            }
            int keyLength = readLength16(in, "property key length");
            if (keyLength == 0 && in.isReadable() && in.getUnsignedByte(in.readerIndex()) == Amf0.OBJECT_END) {
                in.skipBytes(1);
                return map;
            }
            if (keyLength == 0 && !in.isReadable()) {
                throw new Amf0Exception("AMF0 truncated: expected object-end marker 0x09", in.readerIndex());
            }
            String key = readUtf8(in, keyLength, "property key");
            map.put(key, readValue(in, depth));
            read++;
        }
    }

    private static List<Object> readStrictArray(ByteBuf in, int depth) {
        int at = in.readerIndex();
        need(in, 4, "strict array count");
        long count = in.readUnsignedInt();
        // Every element takes at least one byte (its marker).
        if (count > in.readableBytes()) {
            throw new Amf0Exception("AMF0 strict array declares " + count + " elements but only "
                    + in.readableBytes() + " bytes follow", at);
        }
        List<Object> list = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            list.add(readValue(in, depth));
        }
        return list;
    }

    private static int readLength16(ByteBuf in, String what) {
        need(in, 2, what);
        return in.readUnsignedShort();
    }

    private static String readUtf8(ByteBuf in, long length, String what) {
        if (length > in.readableBytes()) {
            throw new Amf0Exception("AMF0 truncated " + what + ": declares " + length + " bytes but only "
                    + in.readableBytes() + " follow", in.readerIndex());
        }
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    private static void need(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new Amf0Exception("AMF0 truncated: expected " + what + " (" + bytes + " bytes) but only "
                    + in.readableBytes() + " left", in.readerIndex());
        }
    }

    private static void checkDepth(int depth, int at) {
        if (depth > Amf0.MAX_DEPTH) {
            throw new Amf0Exception("AMF0 nesting deeper than " + Amf0.MAX_DEPTH + " levels", at);
        }
    }
}
