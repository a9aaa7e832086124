package io.edgepush.protocol.amf0;

/**
 * AMF0 type markers and shared limits (Adobe "Action Message Format -- AMF 0", section 2.1 and 2.2-2.18).
 *
 * <p>Every AMF0 value starts with one marker byte. This class holds those markers as {@code int} constants,
 * the {@link #UNDEFINED} sentinel that {@link Amf0Reader} returns for the undefined type (2.8) and that
 * {@link Amf0Writer#writeValue} writes back as undefined, and the nesting limit both sides enforce.
 */
public final class Amf0 {

    /** number-marker (2.2): followed by an IEEE-754 double, big-endian, 8 bytes. */
    public static final int NUMBER = 0x00;
    /** boolean-marker (2.3): followed by one byte, 0 = false, anything else = true. */
    public static final int BOOLEAN = 0x01;
    /** string-marker (2.4): followed by a U16 byte length and that many UTF-8 bytes. */
    public static final int STRING = 0x02;
    /** object-marker (2.5): followed by properties (UTF-8 key without marker, value) and object-end. */
    public static final int OBJECT = 0x03;
    /** movieclip-marker (2.6): reserved, not supported; the reader rejects it. */
    public static final int MOVIECLIP = 0x04;
    /** null-marker (2.7): no payload. */
    public static final int NULL = 0x05;
    /** undefined-marker (2.8): no payload. */
    public static final int UNDEFINED_MARKER = 0x06;
    /** reference-marker (2.9): U16 index into earlier complex values; not supported, the reader rejects it. */
    public static final int REFERENCE = 0x07;
    /** ecma-array-marker (2.10): U32 associative-count, properties, object-end. */
    public static final int ECMA_ARRAY = 0x08;
    /** object-end-marker (2.11): only valid after an empty UTF-8 key (bytes 00 00 09). */
    public static final int OBJECT_END = 0x09;
    /** strict-array-marker (2.12): U32 array-count followed by that many values. */
    public static final int STRICT_ARRAY = 0x0A;
    /** date-marker (2.13): double milliseconds since the Unix epoch, then S16 time-zone (reserved, 0). */
    public static final int DATE = 0x0B;
    /** long-string-marker (2.14): U32 byte length and that many UTF-8 bytes. */
    public static final int LONG_STRING = 0x0C;
    /** unsupported-marker (2.15): the reader rejects it. */
    public static final int UNSUPPORTED = 0x0D;
    /** recordset-marker (2.16): reserved; the reader rejects it. */
    public static final int RECORDSET = 0x0E;
    /** xml-document-marker (2.17): the reader rejects it. */
    public static final int XML_DOCUMENT = 0x0F;
    /** typed-object-marker (2.18): the reader rejects it. */
    public static final int TYPED_OBJECT = 0x10;
    /** avmplus-object-marker (2.1, switch to AMF3): the reader rejects it. */
    public static final int AVMPLUS_OBJECT = 0x11;

    /** Largest byte length a plain string (2.4) can carry; longer strings are written as long strings (2.14). */
    public static final int MAX_SHORT_STRING_BYTES = 0xFFFF;

    /** Deepest nesting of objects / ECMA arrays / strict arrays that the reader and writer accept. */
    public static final int MAX_DEPTH = 32;

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
     * Human-readable name of a type marker for error messages, e.g. {@code "ecma-array (0x08)"}.
     *
     * @param marker marker byte, 0..255
     * @return name and hex value; unknown markers read {@code "unknown (0x42)"}
     */
    public static String markerName(int marker) {
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
