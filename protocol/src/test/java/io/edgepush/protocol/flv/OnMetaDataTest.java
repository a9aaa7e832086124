package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.hex;
import static io.edgepush.testkit.HexBytes.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgepush.protocol.amf0.Amf0;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** onMetaData (FLV spec E.5) as an AMF0 ECMA array (AMF0 spec 2.10); doubles encoded by hand. */
class OnMetaDataTest {

    private static final OnMetaData META = new OnMetaData(1280, 720, 30.0, 2000.0, "ep");

    // 08 | count 7 | properties | 00 00 09
    private static final String ECMA_ARRAY = "08 00 00 00 07"
            + " 00 08 64 75 72 61 74 69 6F 6E 00 00 00 00 00 00 00 00 00"        // duration 0.0
            + " 00 05 77 69 64 74 68 00 40 94 00 00 00 00 00 00"                  // width 1280.0
            + " 00 06 68 65 69 67 68 74 00 40 86 80 00 00 00 00 00"               // height 720.0
            + " 00 0D 76 69 64 65 6F 64 61 74 61 72 61 74 65 00 40 9F 40 00 00 00 00 00" // videodatarate 2000
            + " 00 09 66 72 61 6D 65 72 61 74 65 00 40 3E 00 00 00 00 00 00"      // framerate 30.0
            + " 00 0C 76 69 64 65 6F 63 6F 64 65 63 69 64 00 40 1C 00 00 00 00 00 00" // videocodecid 7.0
            + " 00 07 65 6E 63 6F 64 65 72 02 00 02 65 70"                        // encoder "ep"
            + " 00 00 09";
    private static final String ON_METADATA = "02 00 0A 6F 6E 4D 65 74 61 44 61 74 61";
    private static final String SET_DATA_FRAME = "02 00 0D 40 73 65 74 44 61 74 61 46 72 61 6D 65";

    @Test
    void flvScriptTagBodyIsOnMetaDataThenEcmaArray() {
        assertEquals(hex(ON_METADATA + " " + ECMA_ARRAY), written(META::writeFlvScriptTag));
    }

    @Test
    void rtmpDataFrameIsSetDataFrameThenOnMetaDataThenEcmaArray() {
        assertEquals(hex(SET_DATA_FRAME + " " + ON_METADATA + " " + ECMA_ARRAY), written(META::writeRtmpDataFrame));
    }

    @Test
    void readsBackWithAmf0() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            new OnMetaData(640, 480, 15.0, 500.5, "edgepush").writeRtmpDataFrame(out);
            List<Object> values = Amf0.readAll(out);
            assertEquals("@setDataFrame", values.get(0));
            assertEquals("onMetaData", values.get(1));
            Map<?, ?> props = (Map<?, ?>) values.get(2);
            assertEquals(640.0, props.get("width"));
            assertEquals(480.0, props.get("height"));
            assertEquals(15.0, props.get("framerate"));
            assertEquals(500.5, props.get("videodatarate"));
            assertEquals(7.0, props.get("videocodecid"));
            assertEquals(0.0, props.get("duration"));
            assertEquals("edgepush", props.get("encoder"));
        } finally {
            out.release();
        }
    }

    @Test
    void invalidFieldsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OnMetaData(0, 720, 30, 1, "e"));
        assertThrows(IllegalArgumentException.class, () -> new OnMetaData(1280, -1, 30, 1, "e"));
        assertThrows(IllegalArgumentException.class, () -> new OnMetaData(1280, 720, Double.NaN, 1, "e"));
        assertThrows(IllegalArgumentException.class, () -> new OnMetaData(1280, 720, -1, 1, "e"));
        assertThrows(IllegalArgumentException.class,
                () -> new OnMetaData(1280, 720, 30, Double.POSITIVE_INFINITY, "e"));
        assertThrows(NullPointerException.class, () -> new OnMetaData(1280, 720, 30, 1, null));
    }
}
