package io.edgepush.protocol.amf0;

import static io.edgepush.testkit.HexBytes.hex;
import static io.edgepush.testkit.HexBytes.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Byte vectors written by hand from the AMF0 spec, section 2. */
class Amf0WriterTest {

    @Test
    void numberOneIsMarkerZeroThenIeee754BigEndian() {
        // AMF0 2.2: 0x00 + double 1.0 = 3F F0 00 00 00 00 00 00
        assertEquals(hex("00 3F F0 00 00 00 00 00 00"), written(b -> Amf0Writer.writeNumber(b, 1.0)));
    }

    @Test
    void booleansAreMarkerOneThenOneByte() {
        assertEquals(hex("01 01"), written(b -> Amf0Writer.writeBoolean(b, true)));
        assertEquals(hex("01 00"), written(b -> Amf0Writer.writeBoolean(b, false)));
    }

    @Test
    void stringAppIsMarkerTwoU16LengthUtf8() {
        // AMF0 2.4: "app" = 02 00 03 61 70 70
        assertEquals(hex("02 00 03 61 70 70"), written(b -> Amf0Writer.writeString(b, "app")));
    }

    @Test
    void stringLengthCountsUtf8BytesNotChars() {
        // "é" is C3 A9 in UTF-8: two bytes, one char.
        assertEquals(hex("02 00 02 C3 A9"), written(b -> Amf0Writer.writeString(b, "\u00e9")));
    }

    @Test
    void stringOf65535BytesStaysShortAndOf65536BecomesLongString() {
        String atLimit = "a".repeat(65535);
        String overLimit = "a".repeat(65536);
        assertTrue(written(b -> Amf0Writer.writeString(b, atLimit)).startsWith(hex("02 FF FF 61")));
        // AMF0 2.14: 0x0C + U32 length
        assertTrue(written(b -> Amf0Writer.writeString(b, overLimit)).startsWith(hex("0C 00 01 00 00 61")));
    }

    @Test
    void nullAndUndefinedAreBareMarkers() {
        assertEquals(hex("05"), written(Amf0Writer::writeNull));
        assertEquals(hex("06"), written(Amf0Writer::writeUndefined));
    }

    @Test
    void objectIsMarkerThreeKeysWithoutMarkerAndObjectEnd() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1.0);
        // 03 | 00 01 'a' | 00 3FF0000000000000 | object end 00 00 09 (2.5, 2.11)
        assertEquals(hex("03 00 01 61 00 3F F0 00 00 00 00 00 00 00 00 09"),
                written(b -> Amf0Writer.writeObject(b, m)));
    }

    @Test
    void emptyObjectIsMarkerAndObjectEnd() {
        assertEquals(hex("03 00 00 09"), written(b -> Amf0Writer.writeObject(b, Map.of())));
    }

    @Test
    void ecmaArrayCarriesU32CountBeforeProperties() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", true);
        // AMF0 2.10: 08 | 00 00 00 01 | 00 01 'x' | 01 01 | 00 00 09
        assertEquals(hex("08 00 00 00 01 00 01 78 01 01 00 00 09"),
                written(b -> Amf0Writer.writeEcmaArray(b, m)));
    }

    @Test
    void strictArrayCarriesU32CountThenValues() {
        // AMF0 2.12: 0A | 00 00 00 02 | 05 | 02 00 01 'z'
        assertEquals(hex("0A 00 00 00 02 05 02 00 01 7A"),
                written(b -> Amf0Writer.writeStrictArray(b, java.util.Arrays.asList(null, "z"))));
    }

    @Test
    void writeValueDispatchesOnJavaType() {
        assertEquals(hex("05"), written(b -> Amf0Writer.writeValue(b, null)));
        assertEquals(hex("06"), written(b -> Amf0Writer.writeValue(b, Amf0.UNDEFINED)));
        assertEquals(hex("00 40 00 00 00 00 00 00 00"), written(b -> Amf0Writer.writeValue(b, 2)));
        assertEquals(hex("00 40 00 00 00 00 00 00 00"), written(b -> Amf0Writer.writeValue(b, 2L)));
        assertEquals(hex("01 01"), written(b -> Amf0Writer.writeValue(b, Boolean.TRUE)));
        assertEquals(hex("02 00 01 71"), written(b -> Amf0Writer.writeValue(b, "q")));
        assertEquals(hex("03 00 00 09"), written(b -> Amf0Writer.writeValue(b, new HashMap<String, Object>())));
        assertEquals(hex("0A 00 00 00 00"), written(b -> Amf0Writer.writeValue(b, List.of())));
    }

    @Test
    void unsupportedTypeIsRejectedAndNothingPartialIsLeft() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            out.writeByte(0x42);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", 1);
            m.put("bad", new Object());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Amf0Writer.writeValue(out, m));
            assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
            assertEquals(1, out.writerIndex());
        } finally {
            out.release();
        }
    }

    @Test
    void cyclicListIsRejectedByTheDepthLimit() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> written(b -> Amf0Writer.writeValue(b, cyclic)));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void nonStringKeyIsRejected() {
        Map<Object, Object> m = new HashMap<>();
        m.put(7, "x");
        assertThrows(IllegalArgumentException.class, () -> written(b -> Amf0Writer.writeValue(b, m)));
    }

    @Test
    void keyLongerThan65535BytesIsRejected() {
        Map<String, Object> m = Map.of("k".repeat(65536), 1);
        assertThrows(IllegalArgumentException.class, () -> written(b -> Amf0Writer.writeEcmaArray(b, m)));
    }
}
