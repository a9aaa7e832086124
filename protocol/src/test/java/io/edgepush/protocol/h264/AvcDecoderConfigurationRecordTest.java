package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.Vectors.buf;
import static io.edgepush.protocol.h264.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvcDecoderConfigurationRecordTest {

    @Test
    void baselineRecord() {
        ByteBuf record = AvcDecoderConfigurationRecord.build(PooledByteBufAllocator.DEFAULT,
                List.of(buf(Vectors.SPS_720P_BASELINE)), List.of(buf(Vectors.PPS_0)));
        // version 1 | profile 0x42 compat 0xC0 level 0x1F | 0xFF | 0xE1 one SPS | 0009 + SPS | 01 | 0004 + PPS
        assertEquals("01 42 c0 1f ff e1 00 09 67 42 c0 1f da 01 40 16 e4 01 00 04 68 ce 3c 80", hex(record));
        assertTrue(record.release());
    }

    @Test
    void highProfileRecordAppendsChromaFormatAndBitDepths() {
        ByteBuf record = AvcDecoderConfigurationRecord.build(PooledByteBufAllocator.DEFAULT,
                List.of(buf(Vectors.SPS_1080P_422_10BIT)), List.of(buf(Vectors.PPS_0), buf("68 53 80")));
        // ... | 0xFC|2 chroma 4:2:2 | 0xF8|2 luma 10 bit | 0xF8|2 chroma 10 bit | 00 numOfSequenceParameterSetExt
        assertEquals("01 7a 00 28 ff e1 00 0c 67 7a 00 28 b6 cb 40 3c 01 13 f1 28 02 00 04 68 ce 3c 80 00 03 68 53 80"
                + " fe fa fa 00", hex(record));
        assertTrue(record.release());
    }

    @Test
    void rejectsMissingOrWrongParameterSets() {
        H264Exception e = assertThrows(H264Exception.class, () -> AvcDecoderConfigurationRecord.build(
                PooledByteBufAllocator.DEFAULT, List.of(), List.of(buf(Vectors.PPS_0))));
        assertEquals("AVCDecoderConfigurationRecord needs 1..31 SPS NAL units, got 0", e.getMessage());
        H264Exception e2 = assertThrows(H264Exception.class, () -> AvcDecoderConfigurationRecord.build(
                PooledByteBufAllocator.DEFAULT, List.of(buf(Vectors.PPS_0)), List.of(buf(Vectors.PPS_0))));
        assertEquals("SPS 0 has nal_unit_type 8, expected 7", e2.getMessage());
        H264Exception e3 = assertThrows(H264Exception.class, () -> AvcDecoderConfigurationRecord.build(
                PooledByteBufAllocator.DEFAULT, List.of(buf("67 42")), List.of(buf(Vectors.PPS_0))));
        assertEquals("SPS 0 is 2 bytes, need at least 4", e3.getMessage());
        H264Exception e4 = assertThrows(H264Exception.class, () -> AvcDecoderConfigurationRecord.build(
                PooledByteBufAllocator.DEFAULT, List.of(buf(Vectors.SPS_720P_BASELINE)), List.of()));
        assertEquals("AVCDecoderConfigurationRecord needs 1..255 PPS NAL units, got 0", e4.getMessage());
        byte[] huge = new byte[70_000];
        huge[0] = 0x68;
        H264Exception e5 = assertThrows(H264Exception.class, () -> AvcDecoderConfigurationRecord.build(
                PooledByteBufAllocator.DEFAULT, List.of(buf(Vectors.SPS_720P_BASELINE)),
                List.of(io.netty.buffer.Unpooled.wrappedBuffer(huge))));
        assertEquals("PPS 0 is 70000 bytes, over the 16-bit length limit", e5.getMessage());
    }

    @Test
    void trackerKeepsLatestParameterSetsAndReportsChanges() {
        try (ParameterSetTracker tracker = new ParameterSetTracker()) {
            assertFalse(tracker.ready());
            assertNull(tracker.sps());
            assertFalse(tracker.offer(buf(Vectors.IDR_MB0)));
            ByteBuf sps = buf(Vectors.SPS_720P_BASELINE);
            assertTrue(tracker.offer(sps));
            assertFalse(tracker.ready());
            assertTrue(tracker.offer(buf(Vectors.PPS_0)));
            assertTrue(tracker.ready());
            assertFalse(tracker.offer(buf(Vectors.SPS_720P_BASELINE)), "same bytes again: no change");
            assertFalse(tracker.offer(buf(Vectors.PPS_0)));
            assertEquals(1280, tracker.sps().width());
            assertEquals(Vectors.SPS_720P_BASELINE, hex(tracker.spsBytes()));
            assertEquals(0, sps.readerIndex(), "offer borrows without consuming");
            ByteBuf kept = tracker.spsBytes();
            assertTrue(tracker.offer(buf(Vectors.SPS_1080P_HIGH)), "new bytes for SPS id 0");
            assertEquals(0, kept.refCnt(), "replaced copy released");
            assertEquals(1920, tracker.sps().width());
            assertEquals(Vectors.SPS_1080P_HIGH, hex(tracker.spsBytes()));
            assertThrows(H264Exception.class, () -> tracker.offer(buf("67 42 c0")));
            assertEquals(1920, tracker.sps().width(), "unchanged after a bad SPS");
            ByteBuf pps = tracker.ppsBytes();
            assertSame(pps, tracker.ppsBytes());
            tracker.close();
            assertEquals(0, pps.refCnt());
            assertFalse(tracker.ready());
        }
    }

    /** What containers read from the tracker: the latest SPS's size and VUI frame rate, the record of SPS + PPS. */
    @Test
    void trackerGivesPictureSizeFrameRateAndTheRecordOfTheLatestParameterSets() {
        try (ParameterSetTracker tracker = new ParameterSetTracker()) {
            assertThrows(IllegalStateException.class, tracker::width, "no SPS yet");
            tracker.offer(buf(Vectors.SPS_720P_BASELINE));
            assertEquals(1280, tracker.width());
            assertEquals(720, tracker.height());
            assertEquals(SpsParser.parse(buf(Vectors.SPS_720P_BASELINE)).fps(), tracker.fps());
            assertThrows(IllegalStateException.class,
                    () -> tracker.decoderConfigurationRecord(PooledByteBufAllocator.DEFAULT), "no PPS yet");
            tracker.offer(buf(Vectors.PPS_0));
            ByteBuf record = tracker.decoderConfigurationRecord(PooledByteBufAllocator.DEFAULT);
            assertEquals("01 42 c0 1f ff e1 00 09 67 42 c0 1f da 01 40 16 e4 01 00 04 68 ce 3c 80", hex(record),
                    "as baselineRecord");
            assertTrue(record.release());
            tracker.offer(buf(Vectors.SPS_1080P_HIGH));
            assertEquals(1920, tracker.width(), "the latest SPS");
        }
    }
}
