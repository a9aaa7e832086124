package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading hand-written FLV files (FLV spec v10.1 E.2, E.3, E.4.1) and every malformed case. */
class FlvFileReaderTest {

    private static final String HEADER = "46 4C 56 01 05 00 00 00 09 00 00 00 00";
    // video tag, DataSize 2, Timestamp 00 00 28 (40 ms), ext 00, StreamID 0, body 17 02, PreviousTagSize 13
    private static final String TAG = "09 00 00 02 00 00 28 00 00 00 00 17 02 00 00 00 0D";

    private static FlvFileReader open(String hex) throws IOException {
        return new FlvFileReader(new ByteArrayInputStream(bytes(hex)));
    }

    /** Expects a FlvFormatException at {@code offset} whose message contains {@code text}. */
    private static void fails(String hex, long offset, String text) {
        FlvFormatException e = assertThrows(FlvFormatException.class, () -> {
            try (FlvFileReader r = open(hex)) {
                while (r.next() != null) {
                    // read to the end
                }
            }
        });
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().endsWith("at offset " + offset), e.getMessage());
    }

    @Test
    void readsHeaderAndTags() throws IOException {
        try (FlvFileReader r = open(HEADER + TAG + " 12 00 00 00 00 00 01 05 00 00 00 00 00 00 0B")) {
            assertTrue(r.hasAudio());
            assertTrue(r.hasVideo());
            FlvTag video = r.next();
            assertEquals(13, video.offset());
            assertEquals(FlvTagType.VIDEO, video.tagType());
            assertEquals(40, video.timestampMs());
            assertArrayEquals(bytes("17 02"), video.body());
            ByteBuf wrapped = video.bodyBuf();
            try {
                assertEquals(0x17, wrapped.getUnsignedByte(0));
            } finally {
                wrapped.release();
            }
            FlvTag script = r.next();
            assertEquals(30, script.offset());
            assertEquals(FlvTagType.SCRIPT_DATA, script.tagType());
            // Timestamp 00 00 01, TimestampExtended 05 -> 0x05000001
            assertEquals(0x05000001, script.timestampMs());
            assertEquals(0, script.body().length);
            assertNull(r.next());
            assertNull(r.next());
        }
    }

    @Test
    void headerWithLargerDataOffsetIsSkipped() throws IOException {
        try (FlvFileReader r = open("46 4C 56 01 01 00 00 00 0B EE EE 00 00 00 00" + TAG)) {
            assertEquals(15, r.next().offset());
        }
    }

    @Test
    void truncatedHeader() {
        fails("46 4C 56 01 01", 0, "truncated FLV header");
    }

    @Test
    void badSignature() {
        fails("46 4C 57 01 01 00 00 00 09 00 00 00 00", 0, "not an FLV file");
    }

    @Test
    void badVersion() {
        fails("46 4C 56 02 01 00 00 00 09 00 00 00 00", 3, "unsupported FLV version 2");
    }

    @Test
    void dataOffsetSmallerThanHeader() {
        fails("46 4C 56 01 01 00 00 00 08 00 00 00 00", 5, "DataOffset 8");
    }

    @Test
    void dataOffsetPastEnd() {
        fails("46 4C 56 01 01 FF FF FF FF 00 00 00 00", 9, "DataOffset points past the end");
    }

    @Test
    void missingPreviousTagSize0() {
        fails("46 4C 56 01 01 00 00 00 09 00 00", 9, "truncated PreviousTagSize0");
    }

    @Test
    void nonZeroPreviousTagSize0() {
        fails("46 4C 56 01 01 00 00 00 09 00 00 00 01", 9, "PreviousTagSize0 is 1");
    }

    @Test
    void truncatedTagHeader() {
        fails(HEADER + "09 00 00 02 00", 13, "truncated tag header");
    }

    @Test
    void filterBitSet() {
        fails(HEADER + "29 00 00 02 00 00 28 00 00 00 00 17 02 00 00 00 0D", 13, "Filter");
    }

    @Test
    void unknownTagType() {
        fails(HEADER + "07 00 00 02 00 00 28 00 00 00 00 17 02 00 00 00 0D", 13, "unknown FLV tag type 7");
    }

    @Test
    void nonZeroStreamId() {
        fails(HEADER + "09 00 00 02 00 00 28 00 00 00 01 17 02 00 00 00 0D", 21, "StreamID is 1");
    }

    @Test
    void truncatedBody() {
        fails(HEADER + "09 00 00 05 00 00 28 00 00 00 00 17 02", 24, "DataSize is 5 but only 2");
    }

    @Test
    void hugeDeclaredBodyIsTruncation() {
        fails(HEADER + "09 FF FF FF 00 00 28 00 00 00 00 17 02", 24, "DataSize is 16777215 but only 2");
    }

    @Test
    void missingPreviousTagSize() {
        fails(HEADER + "09 00 00 02 00 00 28 00 00 00 00 17 02 00 00", 26, "truncated PreviousTagSize");
    }

    @Test
    void wrongPreviousTagSize() {
        fails(HEADER + "09 00 00 02 00 00 28 00 00 00 00 17 02 00 00 00 0C", 26, "PreviousTagSize is 12, expected 13");
    }

    @Test
    void errorInSecondTagReportsItsOffset() {
        fails(HEADER + TAG + "08 00", 30, "truncated tag header");
    }
}
