package io.edgepush.protocol.flv;

import static io.edgepush.testkit.HexBytes.buf;
import static io.edgepush.testkit.HexBytes.hex;
import static io.edgepush.testkit.HexBytes.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VIDEODATA / AVCVIDEOPACKET bodies, FLV spec v10.1 E.4.3.1; expected bytes written by hand. */
class FlvVideoTagsTest {

    @Test
    void sequenceHeaderIs17_00_cts0ThenTheRecord() {
        // FLV spec E.4.3.1: FrameType 1 | CodecID 7 = 0x17, AVCPacketType 0, CompositionTime 0, then the record.
        ByteBuf record = buf("01 64 00 1F FF E1 00 02 67 64 01 00 02 68 EE");
        try {
            assertEquals(hex("17 00 00 00 00 01 64 00 1F FF E1 00 02 67 64 01 00 02 68 EE"),
                    written(out -> FlvVideoTags.writeAvcSequenceHeader(out, record)));
            assertEquals(0, record.readerIndex(), "record is borrowed, reader index unchanged");
        } finally {
            record.release();
        }
    }

    @Test
    void emptyRecordIsRejected() {
        ByteBuf empty = buf("");
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> written(out -> FlvVideoTags.writeAvcSequenceHeader(out, empty)));
        } finally {
            empty.release();
        }
    }

    @Test
    void keyframeNalUnitsAreLengthPrefixed() {
        ByteBuf idr1 = buf("65 88 84");
        ByteBuf idr2 = buf("65 00");
        try {
            // 0x17, AVCPacketType 1, CTS 0, then 00000003 658884, 00000002 6500
            assertEquals(hex("17 01 00 00 00 00 00 00 03 65 88 84 00 00 00 02 65 00"),
                    written(out -> FlvVideoTags.writeAvcNalUnits(out, true, 0, List.of(idr1, idr2))));
            assertEquals(0, idr1.readerIndex());
            assertEquals(0, idr2.readerIndex());
        } finally {
            idr1.release();
            idr2.release();
        }
    }

    @Test
    void interFrameIs27WithCompositionTime() {
        ByteBuf slice = buf("41 9A");
        try {
            // FrameType 2 | CodecID 7 = 0x27; CTS 40 ms = 00 00 28
            assertEquals(hex("27 01 00 00 28 00 00 00 02 41 9A"),
                    written(out -> FlvVideoTags.writeAvcNalUnits(out, false, 40, List.of(slice))));
            // SI24 -1 = FF FF FF; limits 7F FF FF and 80 00 00
            assertEquals(hex("27 01 FF FF FF 00 00 00 02 41 9A"),
                    written(out -> FlvVideoTags.writeAvcNalUnits(out, false, -1, List.of(slice))));
            assertTrue(written(out -> FlvVideoTags.writeAvcNalUnits(out, false, 8388607, List.of(slice)))
                    .startsWith(hex("27 01 7F FF FF")));
            assertTrue(written(out -> FlvVideoTags.writeAvcNalUnits(out, false, -8388608, List.of(slice)))
                    .startsWith(hex("27 01 80 00 00")));
        } finally {
            slice.release();
        }
    }

    @Test
    void nalUnitWithNonZeroReaderIndexWritesOnlyReadableBytes() {
        ByteBuf withStartCode = buf("00 00 00 01 65 11");
        try {
            withStartCode.skipBytes(4);
            assertEquals(hex("17 01 00 00 00 00 00 00 02 65 11"),
                    written(out -> FlvVideoTags.writeAvcNalUnits(out, true, 0, List.of(withStartCode))));
        } finally {
            withStartCode.release();
        }
    }

    @Test
    void badArgumentsAreRejectedAndNothingIsWritten() {
        ByteBuf slice = buf("41 9A");
        ByteBuf empty = buf("");
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FlvVideoTags.writeAvcNalUnits(out, false, 8388608, List.of(slice)));
            assertTrue(e.getMessage().contains("SI24"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> FlvVideoTags.writeAvcNalUnits(out, false, -8388609, List.of(slice)));
            assertThrows(IllegalArgumentException.class,
                    () -> FlvVideoTags.writeAvcNalUnits(out, true, 0, List.of()));
            e = assertThrows(IllegalArgumentException.class,
                    () -> FlvVideoTags.writeAvcNalUnits(out, true, 0, List.of(slice, empty)));
            assertTrue(e.getMessage().contains("NAL unit 1"), e.getMessage());
            assertEquals(0, out.writerIndex());
        } finally {
            slice.release();
            empty.release();
            out.release();
        }
    }

    @Test
    void endOfSequenceIs17_02_cts0() {
        assertEquals(hex("17 02 00 00 00"), written(FlvVideoTags::writeAvcEndOfSequence));
    }
}
