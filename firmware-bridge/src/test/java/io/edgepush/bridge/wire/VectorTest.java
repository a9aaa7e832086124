package io.edgepush.bridge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every PROTOCOL.md vector both ways: encode(fields) == vector and decode(vector) == fields. */
class VectorTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private static void assertEncodes(String vector, WireMessage m, long sequence, long timestampUs) {
        ByteBuf out = FrameEncoder.encode(ALLOC, m, sequence, timestampUs);
        try {
            assertEquals(Vectors.plain(vector), ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }

    private static Frame decodeOne(String vector) {
        List<Frame> frames = new ArrayList<>();
        ByteBuf in = Vectors.buf(vector);
        try (FrameDecoder d = new FrameDecoder(ALLOC, Frame.MAX_PAYLOAD_BYTES)) {
            d.feed(in, frames::add);
            assertEquals(0, d.bytesSkipped());
            assertEquals(0, d.bufferedBytes());
        } finally {
            in.release();
        }
        assertEquals(1, frames.size());
        return frames.get(0);
    }

    private static WireMessage decodeMessage(String vector, MessageType type, int flags, int streamId, long seq,
                                             long ts) {
        Frame f = decodeOne(vector);
        assertEquals(type, f.type());
        assertEquals(flags, f.flags());
        assertEquals(streamId, f.streamId());
        assertEquals(seq, f.sequence());
        assertEquals(ts, f.timestampUs());
        return Messages.decode(f);
    }

    @Test
    void crcCheckValue() {
        ByteBuf b = io.netty.buffer.Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
        assertEquals(0xCBF43926, Crc32.of(b, 0, 9));
        b.release();
    }

    @Test
    void hello() {
        Hello h = new Hello("ESP32P4_CAM_001", "1.2.3", "h264", 0x7F, 1920, 1080, 25, 2_000_000);
        assertEncodes(Vectors.HELLO, h, 0, 1_000_000);
        assertEquals(h, decodeMessage(Vectors.HELLO, MessageType.HELLO, 0, 0, 0, 1_000_000));
    }

    @Test
    void videoMainKeyframe() {
        ByteBuf au = Vectors.buf("00 00 00 01 09 10 00 00 00 01 65 88 84 ff");
        assertEncodes(Vectors.VIDEO_MAIN_KEY, new VideoFrame(0, 1, 1_040_000, true, au), 1, 1_040_000);
        VideoFrame v = (VideoFrame) decodeMessage(Vectors.VIDEO_MAIN_KEY, MessageType.VIDEO, 1, 0, 1, 1_040_000);
        try {
            assertTrue(v.keyframe());
            assertEquals(0, v.streamId());
            assertEquals(1, v.sequence());
            assertEquals(1_040_000, v.captureTimeUs());
            assertEquals("00000001091000000001658884ff", ByteBufUtil.hexDump(v.annexB()));
            assertEquals(0, au.readerIndex(), "encoding borrows the access unit without consuming it");
        } finally {
            v.release();
            au.release();
        }
    }

    @Test
    void videoSubStreamWithMaximalSequenceAndHighTimestamp() {
        ByteBuf au = Vectors.buf("00 00 01 41 9a");
        assertEncodes(Vectors.VIDEO_SUB, new VideoFrame(1, 0xFFFF_FFFFL, 0x0102030405060708L, false, au),
                0xFFFF_FFFFL, 0x0102030405060708L);
        au.release();
        VideoFrame v = (VideoFrame) decodeMessage(Vectors.VIDEO_SUB, MessageType.VIDEO, 0, 1, 0xFFFF_FFFFL,
                0x0102030405060708L);
        assertFalse(v.keyframe());
        assertEquals(0xFFFF_FFFFL, v.sequence());
        assertEquals("000001419a", ByteBufUtil.hexDump(v.annexB()));
        v.release();
    }

    @Test
    void event() {
        Event e = new Event(0, 2_500_000, Event.MOTION_START, "zone=1");
        assertEncodes(Vectors.EVENT, e, 2, 2_500_000);
        assertEquals(e, decodeMessage(Vectors.EVENT, MessageType.EVENT, 0, 0, 2, 2_500_000));
    }

    @Test
    void heartbeat() {
        Heartbeat h = new Heartbeat(3, 0);
        assertEncodes(Vectors.HEARTBEAT, h, 3, 3_000_000);
        assertEquals(h, decodeMessage(Vectors.HEARTBEAT, MessageType.HEARTBEAT, 0, 0, 3, 3_000_000));
    }

    @Test
    void controlSetBitrate() {
        Control c = new Control(7, ControlOp.SET_BITRATE, 1_000_000);
        assertEncodes(Vectors.CONTROL, c, 0, 0);
        assertEquals(c, decodeMessage(Vectors.CONTROL, MessageType.CONTROL, 0, 0, 0, 0));
    }

    @Test
    void controlForceIdrOnSubStream() {
        Control c = new Control(8, ControlOp.FORCE_IDR, 0, 1);
        assertEncodes(Vectors.CONTROL_IDR_SUB, c, 1, 0);
        assertEquals(c, decodeMessage(Vectors.CONTROL_IDR_SUB, MessageType.CONTROL, 0, 1, 1, 0));
    }

    @Test
    void ack() {
        Ack a = new Ack(7, Ack.OK);
        assertEncodes(Vectors.ACK, a, 4, 3_100_000);
        Ack decoded = assertInstanceOf(Ack.class, decodeMessage(Vectors.ACK, MessageType.ACK, 0, 0, 4, 3_100_000));
        assertEquals(a, decoded);
        assertTrue(decoded.ok());
        assertFalse(decoded.hasAppliedValue(), "a 5-byte ACK (older camera) has no applied_value");
        assertEquals(Ack.NO_VALUE, decoded.appliedValue());
    }

    @Test
    void ackWithAppliedValue() {
        // PROTOCOL.md 3.6: control_id 00 00 00 07, status 00, applied_value 00 0c 35 00 = 800 000 bps.
        Ack a = new Ack(7, Ack.OK, 0, 800_000);
        assertEquals(9, a.payloadLength());
        assertEncodes(Vectors.ACK_APPLIED, a, 4, 3_100_000);
        Ack decoded = assertInstanceOf(Ack.class,
                decodeMessage(Vectors.ACK_APPLIED, MessageType.ACK, 0, 0, 4, 3_100_000));
        assertEquals(a, decoded);
        assertTrue(decoded.hasAppliedValue());
        assertEquals(800_000, decoded.appliedValue());
    }

    @Test
    void resolutionValuePacksWidthAndHeight() {
        assertEquals(0x050002D0L, Control.resolution(1280, 720));
    }
}
