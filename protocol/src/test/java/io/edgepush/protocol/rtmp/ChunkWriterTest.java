package io.edgepush.protocol.rtmp;

import static io.edgepush.protocol.rtmp.ChunkBytes.payload;
import static io.edgepush.protocol.rtmp.ChunkBytes.payloadHex;
import static io.edgepush.testkit.HexBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Expected bytes written by hand from Adobe RTMP specification 5.3.1 and the examples of 5.3.2. */
class ChunkWriterTest {
    private final ChunkWriter writer = new ChunkWriter();

    private String write(int csid, int typeId, int msid, int timestamp, int length, int start) {
        ByteBuf body = payload(length, start);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            writer.write(out, csid, typeId, msid, timestamp, body);
            assertEquals(length, body.readableBytes(), "payload is borrowed, not consumed");
            assertTrue(out.readableBytes() <= writer.maxEncodedLength(csid, length), "maxEncodedLength is a bound");
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
            body.release();
        }
    }

    @Test
    void basicHeaderForms_5_3_1_1() {
        assertEquals(hex("03"), hexOfBasic(0, 3));
        assertEquals(hex("3f"), hexOfBasic(0, 63));
        assertEquals(hex("00 00"), hexOfBasic(0, 64));
        assertEquals(hex("00 ff"), hexOfBasic(0, 319));
        assertEquals(hex("01 00 01"), hexOfBasic(0, 320));
        assertEquals(hex("01 ff ff"), hexOfBasic(0, 65599));
        assertEquals(hex("45"), hexOfBasic(1, 5));
        assertEquals(hex("80 06"), hexOfBasic(2, 70));
        assertEquals(hex("c1 50 01"), hexOfBasic(3, 400));
        assertThrows(IllegalArgumentException.class, () -> hexOfBasic(0, 1));
        assertThrows(IllegalArgumentException.class, () -> hexOfBasic(0, 65600));
    }

    private static String hexOfBasic(int fmt, int csid) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            ChunkHeaders.writeBasicHeader(out, fmt, csid);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    /** 5.3.2.1 example 1: audio, same length and delta: type 0, type 2, then type 3 headers. */
    @Test
    void example1_sameSizeAndSpacingUsesTypes0_2_3() {
        assertEquals(hex("03 0003e8 000020 08 39300000") + payloadHex(32, 0), write(3, 8, 12345, 1000, 32, 0));
        assertEquals(hex("83 000014") + payloadHex(32, 1), write(3, 8, 12345, 1020, 32, 1));
        assertEquals(hex("c3") + payloadHex(32, 2), write(3, 8, 12345, 1040, 32, 2));
        assertEquals(hex("c3") + payloadHex(32, 3), write(3, 8, 12345, 1060, 32, 3));
    }

    /** 5.3.2.2 example 2: a 307-byte message at chunk size 128: type 0 then two type 3 continuation chunks. */
    @Test
    void example2_messageSplitIntoChunks() {
        String expected = hex("04 0003e8 000133 09 3a300000") + payloadHex(128, 0)
                + "c4" + payloadHex(128, 128) + "c4" + payloadHex(51, 256);
        assertEquals(expected, write(4, 9, 12346, 1000, 307, 0));
    }

    @Test
    void type1WhenLengthChangesAndType0WhenStreamIdChangesOrTimeGoesBack() {
        write(3, 8, 1, 1000, 32, 0);
        assertEquals(hex("43 00000a 00000a 08") + payloadHex(10, 0), write(3, 8, 1, 1010, 10, 0));
        assertEquals(hex("43 000000 00000a 12") + payloadHex(10, 0), write(3, 18, 1, 1010, 10, 0));
        assertEquals(hex("03 0003e8 00000a 12 02000000") + payloadHex(10, 0), write(3, 18, 2, 1000, 10, 0));
        assertEquals(hex("03 000064 00000a 12 02000000") + payloadHex(10, 0), write(3, 18, 2, 100, 10, 0));
    }

    @Test
    void type3NeverFollowsType0ForANewMessage() {
        write(5, 9, 1, 0, 4, 0);
        assertEquals(hex("85 000000") + payloadHex(4, 0), write(5, 9, 1, 0, 4, 0), "type 2 with delta 0");
        assertEquals(hex("c5") + payloadHex(4, 0), write(5, 9, 1, 0, 4, 0), "then type 3");
    }

    /** 5.3.1.3: 0xFFFFFF and above go in the Extended Timestamp, repeated on each type 3 continuation chunk. */
    @Test
    void extendedTimestampOnType0AndItsContinuationChunks() {
        String expected = hex("06 ffffff 0000c8 09 01000000 01000000") + payloadHex(128, 0)
                + hex("c6 01000000") + payloadHex(72, 128);
        assertEquals(expected, write(6, 9, 1, 0x01000000, 200, 0));
    }

    @Test
    void timestampExactly0xFFFFFFIsExtended() {
        assertEquals(hex("06 ffffff 000001 09 01000000 00ffffff 00"), write(6, 9, 1, 0xFFFFFF, 1, 0));
    }

    @Test
    void extendedDeltaOnType2AndType3() {
        write(6, 9, 1, 0, 200, 0);
        String expected = hex("86 ffffff 01000000") + payloadHex(128, 0) + hex("c6 01000000") + payloadHex(72, 128);
        assertEquals(expected, write(6, 9, 1, 0x01000000, 200, 0));
        String type3 = hex("c6 01000000") + payloadHex(128, 0) + hex("c6 01000000") + payloadHex(72, 128);
        assertEquals(type3, write(6, 9, 1, 0x02000000, 200, 0), "same delta: type 3 with extended timestamp");
    }

    @Test
    void timestampsAreUnsigned32Bit() {
        assertEquals(hex("07 ffffff 000000 09 01000000 fffffffe"), write(7, 9, 1, 0xFFFFFFFE, 0, 0));
        assertEquals(hex("87 000001"), write(7, 9, 1, 0xFFFFFFFF, 0, 0), "delta 1 across the sign bit");
    }

    /**
     * The 32-bit wrap (after 49.7 days): 0xFFFFFFF0 then 0x10 goes "backwards" as an unsigned number, so the
     * writer starts over with a type 0 header and the absolute timestamp 0x10 (5.3.1.2.1); no delta is sent
     * across the wrap, and a reader that keeps 32-bit timestamps sees the wrapped value.
     */
    @Test
    void the32BitWrapIsWrittenAsType0WithTheWrappedTimestamp() {
        assertEquals(hex("07 ffffff 000000 09 01000000 fffffff0"), write(7, 9, 1, 0xFFFFFFF0, 0, 0));
        assertEquals(hex("07 000010 000000 09 01000000"), write(7, 9, 1, 0x10, 0, 0));
        assertEquals(hex("87 000010"), write(7, 9, 1, 0x20, 0, 0), "deltas resume after the wrap");
    }

    @Test
    void setChunkSizeSwitchesTheWriterAfterTheMessage() {
        RtmpMessage setChunkSize = ControlMessages.setChunkSize(PooledByteBufAllocator.DEFAULT, 4096);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            writer.write(out, 2, setChunkSize);
            assertEquals(hex("02 000000 000004 01 00000000 00001000"), ByteBufUtil.hexDump(out));
        } finally {
            out.release();
            setChunkSize.release();
        }
        assertEquals(4096, writer.chunkSize());
        String big = write(6, 9, 1, 0, 5000, 0);
        assertEquals(hex("06 000000 001388 09 01000000") + payloadHex(4096, 0) + "c6" + payloadHex(904, 4096), big);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> writer.setChunkSize(0));
        ByteBuf huge = PooledByteBufAllocator.DEFAULT.buffer(0x1000000).writeZero(0x1000000);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> writer.write(out, 6, 9, 1, 0, huge));
            assertThrows(IllegalArgumentException.class, () -> writer.write(out, 1, 9, 1, 0, out));
            ByteBuf zeroChunkSize = PooledByteBufAllocator.DEFAULT.buffer(4).writeInt(0);
            try {
                assertThrows(IllegalArgumentException.class, () -> writer.write(out, 2, 1, 0, 0, zeroChunkSize));
            } finally {
                zeroChunkSize.release();
            }
            assertEquals(0, out.readableBytes(), "nothing written on a rejected message");
            assertEquals(128, writer.chunkSize());
        } finally {
            huge.release();
            out.release();
        }
    }
}
