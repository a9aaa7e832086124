package io.edgepush.protocol.amf0;

import static io.edgepush.testkit.HexBytes.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Decoding of hand-written AMF0 vectors (AMF0 spec section 2), round trips and every error path. */
class Amf0ReaderTest {

    private static <T> T withBuf(String hex, Function<ByteBuf, T> f) {
        ByteBuf b = buf(hex);
        try {
            return f.apply(b);
        } finally {
            b.release();
        }
    }

    private static Object read(String hex) {
        return withBuf(hex, b -> {
            Object v = Amf0Reader.readValue(b);
            assertEquals(0, b.readableBytes(), "value should consume all bytes");
            return v;
        });
    }

    /** Expects an Amf0Exception at the given buffer offset whose message contains {@code text}. */
    private static Amf0Exception fails(String hex, int offset, String text) {
        return withBuf(hex, b -> {
            Amf0Exception e = assertThrows(Amf0Exception.class, () -> Amf0Reader.readValue(b));
            assertEquals(offset, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains(text), e.getMessage());
            assertTrue(e.getMessage().contains("at offset " + offset), e.getMessage());
            assertEquals(0, b.readerIndex(), "reader index restored");
            return e;
        });
    }

    @Test
    void readsScalars() {
        assertEquals(1.0, read("00 3F F0 00 00 00 00 00 00"));
        assertEquals(true, read("01 01"));
        assertEquals(false, read("01 00"));
        assertEquals("app", read("02 00 03 61 70 70"));
        assertEquals("", read("02 00 00"));
        assertNull(read("05"));
        assertSame(Amf0.UNDEFINED, read("06"));
        assertEquals("\u00e9", read("02 00 02 C3 A9"));
    }

    @Test
    void readsDateAsMillisecondsAndSkipsTimeZone() {
        // AMF0 2.13: 0B + double 1000.0 (40 8F 40 00 00 00 00 00) + S16 time-zone 00 00
        assertEquals(1000.0, read("0B 40 8F 40 00 00 00 00 00 00 00"));
    }

    @Test
    void readsLongString() {
        assertEquals("ab", read("0C 00 00 00 02 61 62"));
    }

    @Test
    void readsObjectInWireOrder() {
        // { b: "x", a: null }
        Object v = read("03 00 01 62 02 00 01 78 00 01 61 05 00 00 09");
        assertEquals(List.of("b", "a"), List.copyOf(((Map<?, ?>) v).keySet()));
        assertEquals("x", ((Map<?, ?>) v).get("b"));
        assertTrue(((Map<?, ?>) v).containsKey("a"));
    }

    @Test
    void readsEcmaArrayWithCorrectCount() {
        assertEquals(Map.of("x", true), read("08 00 00 00 01 00 01 78 01 01 00 00 09"));
    }

    @Test
    void ecmaArrayEndMarkerWinsOverWrongCount() {
        // Count says 0 (as some servers write) but one property follows, then the object end.
        assertEquals(Map.of("x", true), read("08 00 00 00 00 00 01 78 01 01 00 00 09"));
        // Count says 5 but the object end comes after one property.
        assertEquals(Map.of("x", true), read("08 00 00 00 05 00 01 78 01 01 00 00 09"));
    }

    @Test
    void ecmaArrayWithoutEndMarkerIsAcceptedWhenCountMatchesAndInputEnds() {
        assertEquals(Map.of("x", true), read("08 00 00 00 01 00 01 78 01 01"));
    }

    @Test
    void ecmaArrayWithoutEndMarkerAndWrongCountIsTruncation() {
        fails("08 00 00 00 02 00 01 78 01 01", 10, "truncated");
    }

    @Test
    void readsStrictArray() {
        assertEquals(Arrays.asList(null, "z"), read("0A 00 00 00 02 05 02 00 01 7A"));
    }

    @Test
    void readAllReadsEverythingInOrder() {
        // A typical RTMP _result: "_result", 1.0, null
        List<Object> all = withBuf("02 00 07 5F 72 65 73 75 6C 74 00 3F F0 00 00 00 00 00 00 05",
                Amf0Reader::readAll);
        assertEquals(Arrays.asList("_result", 1.0, null), all);
    }

    @Test
    void readAllOfEmptyBufferIsEmpty() {
        assertEquals(List.of(), withBuf("", Amf0Reader::readAll));
    }

    @Test
    void readAllRestoresReaderIndexOnError() {
        withBuf("05 00 3F", b -> {
            Amf0Exception e = assertThrows(Amf0Exception.class, () -> Amf0Reader.readAll(b));
            assertEquals(2, e.offset());
            assertEquals(0, b.readerIndex());
            return null;
        });
    }

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("level", "status");
        inner.put("code", "NetStream.Publish.Start");
        inner.put("list", Arrays.asList(1.0, false, null, Amf0.UNDEFINED, "s"));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("info", inner);
        outer.put("n", -0.5);
        outer.put("long", "y".repeat(70000));
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            Amf0Writer.writeValue(b, outer);
            Amf0Writer.writeEcmaArray(b, inner);
            assertEquals(List.of(outer, inner), Amf0Reader.readAll(b));
        } finally {
            b.release();
        }
    }

    @Test
    void truncatedNumber() {
        fails("00 3F F0 00", 1, "8-byte number");
    }

    @Test
    void emptyInput() {
        fails("", 0, "type marker");
    }

    @Test
    void truncatedBoolean() {
        fails("01", 1, "boolean");
    }

    @Test
    void truncatedStringLength() {
        fails("02 00", 1, "string length");
    }

    @Test
    void truncatedString() {
        fails("02 00 05 61 70 70", 3, "declares 5 bytes but only 3");
    }

    @Test
    void hugeDeclaredLongStringLength() {
        fails("0C FF FF FF FF 61", 5, "declares 4294967295 bytes but only 1");
    }

    @Test
    void truncatedDate() {
        fails("0B 40 8F 40 00 00 00 00 00", 1, "date");
    }

    @Test
    void hugeDeclaredStrictArrayCount() {
        fails("0A 7F FF FF FF 05 05", 1, "declares 2147483647 elements but only 2");
    }

    @Test
    void truncatedStrictArrayElement() {
        fails("0A 00 00 00 02 05 01", 7, "boolean byte");
    }

    @Test
    void truncatedEcmaArrayCount() {
        fails("08 00 00", 1, "ECMA array count");
    }

    @Test
    void truncatedPropertyKey() {
        fails("03 00 04 61", 3, "property key");
    }

    @Test
    void missingObjectEnd() {
        fails("03 00 01 61 05", 5, "property key length");
        fails("03 00 00", 3, "object-end");
    }

    @Test
    void badMarker() {
        Amf0Exception e = fails("42", 0, "unsupported type marker");
        assertTrue(e.getMessage().contains("0x42"), e.getMessage());
    }

    @Test
    void reservedAndAmf3MarkersAreRejectedByName() {
        fails("04", 0, "movieclip (0x04)");
        fails("0D", 0, "unsupported (0x0D)");
        fails("0E", 0, "recordset (0x0E)");
        fails("0F 00 00 00 00", 0, "xml-document (0x0F)");
        fails("10 00 01 61 00 00 09", 0, "typed-object (0x10)");
        fails("11 01", 0, "avmplus-object (0x11)");
    }

    @Test
    void referenceIsRejectedClearly() {
        fails("07 00 01", 0, "reference type 0x07 is not supported");
    }

    @Test
    void objectEndOutsideObject() {
        fails("09", 0, "object-end marker 0x09 outside an object");
    }

    @Test
    void badMarkerInsideObjectReportsItsOwnOffset() {
        fails("03 00 01 61 42 00 00 09", 4, "0x42");
    }

    @Test
    void nestingAtTheLimitIsAccepted() {
        String hex = "0A 00 00 00 01 ".repeat(Amf0.MAX_DEPTH - 1) + "0A 00 00 00 00";
        Object v = read(hex);
        for (int i = 0; i < Amf0.MAX_DEPTH - 1; i++) {
            v = ((List<?>) v).get(0);
        }
        assertEquals(List.of(), v);
    }

    @Test
    void nestingTooDeep() {
        // 33 nested strict arrays; the 33rd starts at offset 32 * 5 = 160.
        String hex = "0A 00 00 00 01 ".repeat(Amf0.MAX_DEPTH) + "0A 00 00 00 00";
        fails(hex, 160, "nesting deeper than 32");
    }

    @Test
    void nestingTooDeepWithObjects() {
        // 33 nested objects, each {a: ...}; each level is 03 00 01 61 = 4 bytes.
        String hex = "03 00 01 61 ".repeat(Amf0.MAX_DEPTH + 1) + "05";
        fails(hex, 128, "nesting deeper than 32");
    }
}
