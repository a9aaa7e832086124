package io.edgepush.protocol.rtmp;

import static io.edgepush.testkit.HexBytes.buf;
import static io.edgepush.protocol.rtmp.ChunkBytes.payloadHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Input bytes written by hand from Adobe RTMP specification 5.3.1, 5.3.2, 5.4.1 and 5.4.2. */
class ChunkReaderTest {
    private final ChunkReader reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, 1 << 20);
    private final List<RtmpMessage> messages = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        messages.forEach(RtmpMessage::release);
        reader.release();
    }

    private void feed(String hex) throws RtmpException {
        ByteBuf in = buf(hex);
        try {
            reader.read(in, messages::add);
            assertEquals(0, in.readableBytes(), "all complete chunks consumed");
        } finally {
            in.release();
        }
    }

    private void assertMessage(int index, int typeId, int msid, long timestamp, String payloadHex) {
        RtmpMessage m = messages.get(index);
        assertEquals(typeId, m.typeId(), "type id");
        assertEquals(msid, m.messageStreamId(), "message stream id");
        assertEquals(timestamp, Integer.toUnsignedLong(m.timestampMs()), "timestamp");
        assertEquals(payloadHex, ByteBufUtil.hexDump(m.payload()));
    }

    @Test
    void example1_types0_2_3_3() throws Exception {
        feed("03 0003e8 000020 08 39300000" + payloadHex(32, 0) + "83 000014" + payloadHex(32, 1)
                + "c3" + payloadHex(32, 2) + "c3" + payloadHex(32, 3));
        assertEquals(4, messages.size());
        for (int i = 0; i < 4; i++) {
            assertMessage(i, 8, 12345, 1000 + 20 * i, payloadHex(32, i));
        }
    }

    @Test
    void example2_continuationChunks() throws Exception {
        feed("04 0003e8 000133 09 3a300000" + payloadHex(128, 0) + "c4" + payloadHex(128, 128)
                + "c4" + payloadHex(51, 256));
        assertEquals(1, messages.size());
        assertMessage(0, 9, 12346, 1000, payloadHex(307, 0));
    }

    @Test
    void twoAndThreeByteBasicHeadersAndType1() throws Exception {
        feed("00 00 000010 000002 14 01000000 aabb" + "40 00 000005 000001 12 cc"
                + "01 ff ff 000001 000000 09 07000000");
        assertEquals(3, messages.size());
        assertMessage(0, 20, 1, 16, "aabb");
        assertMessage(1, 18, 1, 21, "cc");
        assertMessage(2, 9, 7, 1, "");
    }

    @Test
    void type3StartingAMessageAfterType0AddsNoDelta() throws Exception {
        feed("05 000064 000001 09 01000000 aa" + "c5 bb");
        assertMessage(1, 9, 1, 100, "bb");
    }

    @Test
    void extendedTimestampIncludingType3Continuation() throws Exception {
        feed("06 ffffff 0000c8 09 01000000 01000000" + payloadHex(128, 0) + "c6 01000000" + payloadHex(72, 128));
        assertEquals(1, messages.size());
        assertMessage(0, 9, 1, 0x01000000L, payloadHex(200, 0));
    }

    @Test
    void extendedDeltaOnType2ThenType3NewMessage() throws Exception {
        feed("06 000000 000001 09 01000000 aa" + "86 ffffff 01000000 bb" + "c6 01000000 cc");
        assertMessage(1, 9, 1, 0x01000000L, "bb");
        assertMessage(2, 9, 1, 0x02000000L, "cc");
    }

    /** A delta that crosses 2^32 wraps the timestamp modulo 2^32 (timestamps are unsigned 32 bit, 5.3.1.2). */
    @Test
    void deltaAcrossThe32BitWrapWrapsTheTimestamp() throws Exception {
        feed("04 ffffff 000001 09 01000000 fffffff0 aa");
        feed("84 000020 bb");
        assertMessage(0, 9, 1, 0xFFFFFFF0L, "aa");
        assertMessage(1, 9, 1, 0x10L, "bb");
    }

    @Test
    void interleavedChunkStreams() throws Exception {
        feed("04 000001 000082 09 01000000" + payloadHex(128, 0)
                + "03 000002 000001 14 00000000 ee"
                + "c4" + payloadHex(2, 128));
        assertEquals(2, messages.size());
        assertMessage(0, 20, 0, 2, "ee");
        assertMessage(1, 9, 1, 1, payloadHex(130, 0));
    }

    @Test
    void setChunkSizeAppliesToTheNextChunk() throws Exception {
        feed("02 000000 000004 01 00000000 00000100" + "04 000000 000101 09 01000000" + payloadHex(256, 0)
                + "c4" + payloadHex(1, 0));
        assertEquals(256, reader.chunkSize());
        assertEquals(2, messages.size());
        assertMessage(1, 9, 1, 0, payloadHex(256, 0) + "00");
    }

    @Test
    void abortDiscardsThePartialMessage() throws Exception {
        feed("04 000000 000100 09 01000000" + payloadHex(128, 0) + "02 000000 000004 02 00000000 00000004"
                + "04 000005 000001 09 01000000 99");
        assertEquals(2, messages.size());
        assertEquals(2, messages.get(0).typeId());
        assertMessage(1, 9, 1, 5, "99");
    }

    @Test
    void incompleteInputIsKeptUntilTheRestArrives() throws Exception {
        String all = "04 0003e8 000133 09 3a300000" + payloadHex(128, 0) + "c4" + payloadHex(128, 128)
                + "c4" + payloadHex(51, 256);
        byte[] bytes = ByteBufUtil.decodeHexDump(all.replace(" ", ""));
        ByteBuf in = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            for (byte b : bytes) {
                in.writeByte(b);
                reader.read(in, messages::add);
                in.discardReadBytes();
            }
            assertEquals(0, in.readableBytes());
        } finally {
            in.release();
        }
        assertEquals(1, messages.size());
        assertMessage(0, 9, 12346, 1000, payloadHex(307, 0));
    }

    @Test
    void type1WithoutPriorType0IsAProtocolError() {
        assertProtocolError("43 000000 000001 09 aa", "must have a type 0 header");
    }

    @Test
    void oversizedMessageIsAProtocolError() {
        ChunkReader small = new ChunkReader(PooledByteBufAllocator.DEFAULT, 100);
        ByteBuf in = buf("04 000000 000065 09 01000000");
        try {
            RtmpException e = assertThrows(RtmpException.class, () -> small.read(in, messages::add));
            assertEquals(RtmpErrorCode.RTMP_PROTOCOL_ERROR, e.code());
            assertTrue(e.getMessage().contains("101 bytes"), e.getMessage());
        } finally {
            in.release();
            small.release();
        }
    }

    @Test
    void zeroOrNegativeChunkSizeIsAProtocolError() {
        assertProtocolError("02 000000 000004 01 00000000 00000000", "chunk size to 0");
        assertProtocolError("02 000000 000004 01 00000000 80000000", "chunk size to 2147483648");
    }

    @Test
    void shortControlPayloadIsAProtocolError() {
        assertProtocolError("02 000000 000002 01 00000000 0001", "expected 4");
    }

    @Test
    void newHeaderInsideAMessageIsAProtocolError() throws Exception {
        feed("04 000000 000100 09 01000000" + payloadHex(128, 0));
        assertProtocolError("84 000001 aa", "still misses 128 bytes");
    }

    private void assertProtocolError(String hex, String fragment) {
        ByteBuf in = buf(hex);
        try {
            RtmpException e = assertThrows(RtmpException.class, () -> reader.read(in, messages::add));
            assertEquals(RtmpErrorCode.RTMP_PROTOCOL_ERROR, e.code());
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        } finally {
            in.release();
        }
    }
}
