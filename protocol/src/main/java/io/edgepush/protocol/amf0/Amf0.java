package io.edgepush.protocol.amf0;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;

/**
 * AMF0 (Adobe "Action Message Format -- AMF 0", section 2): the package's door, reading and writing values for the
 * RTMP commands and the FLV/RTMP onMetaData.
 *
 * <p>Reading ({@link #readValue}, {@link #readAll}) takes untrusted input: every length and count is checked before
 * use and nesting is limited, malformed input raises {@link Amf0Exception} with the buffer index (the reader index
 * is then where it was). Result types: number -> {@link Double}; boolean -> {@link Boolean}; string and long string
 * -> {@link String}; null -> {@code null}; undefined -> {@link #UNDEFINED}; anonymous object and ECMA array ->
 * {@code LinkedHashMap<String, Object>} in wire order; strict array -> {@code List<Object>}; date -> {@link Double}
 * milliseconds since the epoch. Writing appends at the writer index; a value that cannot be encoded throws
 * IllegalArgumentException and leaves nothing behind. Every method BORROWS its buffer. The reader and writer
 * themselves (Amf0Reader, Amf0Writer: one method per type of section 2) are package-private.
 *
 * <p>The type markers (2.1) and the shared limits are package-private constants of this class.
 */
public final class Amf0 {

    /** number-marker (2.2): followed by an IEEE-754 double, big-endian, 8 bytes. */
    static final int NUMBER = 0x00;
    /** boolean-marker (2.3): followed by one byte, 0 = false, anything else = true. */
    static final int BOOLEAN = 0x01;
    /** string-marker (2.4): followed by a U16 byte length and that many UTF-8 bytes. */
    static final int STRING = 0x02;
    /** object-marker (2.5): followed by properties (UTF-8 key without marker, value) and object-end. */
    static final int OBJECT = 0x03;
    /** movieclip-marker (2.6): reserved, not supported; the reader rejects it. */
    static final int MOVIECLIP = 0x04;
    /** null-marker (2.7): no payload. */
    static final int NULL = 0x05;
    /** undefined-marker (2.8): no payload. */
    static final int UNDEFINED_MARKER = 0x06;
    /** reference-marker (2.9): U16 index into earlier complex values; not supported, the reader rejects it. */
    static final int REFERENCE = 0x07;
    /** ecma-array-marker (2.10): U32 associative-count, properties, object-end. */
    static final int ECMA_ARRAY = 0x08;
    /** object-end-marker (2.11): only valid after an empty UTF-8 key (bytes 00 00 09). */
    static final int OBJECT_END = 0x09;
    /** strict-array-marker (2.12): U32 array-count followed by that many values. */
    static final int STRICT_ARRAY = 0x0A;
    /** date-marker (2.13): double milliseconds since the Unix epoch, then S16 time-zone (reserved, 0). */
    static final int DATE = 0x0B;
    /** long-string-marker (2.14): U32 byte length and that many UTF-8 bytes. */
    static final int LONG_STRING = 0x0C;
    /** unsupported-marker (2.15): the reader rejects it. */
    static final int UNSUPPORTED = 0x0D;
    /** recordset-marker (2.16): reserved; the reader rejects it. */
    static final int RECORDSET = 0x0E;
    /** xml-document-marker (2.17): the reader rejects it. */
    static final int XML_DOCUMENT = 0x0F;
    /** typed-object-marker (2.18): the reader rejects it. */
    static final int TYPED_OBJECT = 0x10;
    /** avmplus-object-marker (2.1, switch to AMF3): the reader rejects it. */
    static final int AVMPLUS_OBJECT = 0x11;

    /** Largest byte length a plain string (2.4) can carry; longer strings are written as long strings (2.14). */
    static final int MAX_SHORT_STRING_BYTES = 0xFFFF;

    /** Deepest nesting of objects / ECMA arrays / strict arrays that the reader and writer accept. */
    static final int MAX_DEPTH = 32;

    /** The AMF0 undefined value (2.8); a singleton so callers can compare with {@code ==}. */
    public enum Undefined {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "undefined";
        }
    }

    /** Sentinel for the AMF0 undefined type (2.8), distinct from {@code null} (the AMF0 null type, 2.7). */
    public static final Undefined UNDEFINED = Undefined.INSTANCE;

    private Amf0() {
    }

    /**
     * Reads one value at the reader index and advances past it.
     *
     * @throws Amf0Exception on malformed, truncated, unsupported or too deeply nested data (reader index unchanged)
     */
    public static Object readValue(ByteBuf in) {
        return Amf0Reader.readValue(in);
    }

    /**
     * Reads values until the buffer has no readable bytes, e.g. all values of an RTMP command message (Adobe RTMP
     * spec 7.1.1) or of an FLV script data tag.
     *
     * @return the values in wire order (empty if nothing is readable)
     * @throws Amf0Exception as {@link #readValue}; the reader index is restored to where this call started
     */
    public static List<Object> readAll(ByteBuf in) {
        return Amf0Reader.readAll(in);
    }

    /**
     * Writes any supported value, by its Java type: {@code null} -> null (2.7), {@link Number} -> number (2.2),
     * {@link Boolean} -> boolean (2.3), {@link CharSequence} -> string / long string (2.4, 2.14), {@link Map} with
     * String keys -> anonymous object (2.5), {@link List} -> strict array (2.12), {@link #UNDEFINED} -> undefined.
     *
     * @throws IllegalArgumentException on any other type (the writer index is restored)
     */
    public static void writeValue(ByteBuf out, Object value) {
        Amf0Writer.writeValue(out, value);
    }

    /** Writes a string (2.4), or a long string (2.14) above 65535 UTF-8 bytes. */
    public static void writeString(ByteBuf out, String value) {
        Amf0Writer.writeString(out, value);
    }

    /** Writes a number (2.2): an IEEE-754 double, big-endian. */
    public static void writeNumber(ByteBuf out, double value) {
        Amf0Writer.writeNumber(out, value);
    }

    /**
     * Writes an ECMA array (2.10), as onMetaData's body is (FLV spec E.5): associative-count, then the entries as
     * in an object.
     *
     * @throws IllegalArgumentException if a value cannot be encoded (the writer index is restored)
     */
    public static void writeEcmaArray(ByteBuf out, Map<String, ?> properties) {
        Amf0Writer.writeEcmaArray(out, properties);
    }

    /**
     * Human-readable name of a type marker for error messages, e.g. {@code "ecma-array (0x08)"}.
     *
     * @param marker marker byte, 0..255
     * @return name and hex value; unknown markers read {@code "unknown (0x42)"}
     */
    static String markerName(int marker) {
        String name = switch (marker) {
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case OBJECT -> "object";
            case MOVIECLIP -> "movieclip";
            case NULL -> "null";
            case UNDEFINED_MARKER -> "undefined";
            case REFERENCE -> "reference";
            case ECMA_ARRAY -> "ecma-array";
            case OBJECT_END -> "object-end";
            case STRICT_ARRAY -> "strict-array";
            case DATE -> "date";
            case LONG_STRING -> "long-string";
            case UNSUPPORTED -> "unsupported";
            case RECORDSET -> "recordset";
            case XML_DOCUMENT -> "xml-document";
            case TYPED_OBJECT -> "typed-object";
            case AVMPLUS_OBJECT -> "avmplus-object";
            default -> "unknown";
        };
        return String.format("%s (0x%02X)", name, marker);
    }
}
