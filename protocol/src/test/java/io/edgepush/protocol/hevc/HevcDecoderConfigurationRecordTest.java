package io.edgepush.protocol.hevc;

import static io.edgepush.protocol.hevc.HevcTestNals.nal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1) against bytes written by hand from the spec. */
class HevcDecoderConfigurationRecordTest {

    /**
     * The record of small.265's VPS/SPS/PPS: version 1; profile space 0, tier 0, profile_idc 1 (0x01);
     * compatibility flags 1 and 2 (0x60000000); constraint flags progressive + frame only (0x900000000000);
     * level 60 (0x3c); '1111'b + min_spatial_segmentation_idc 0 (0xf000); '111111'b + parallelismType 0 (0xfc);
     * '111111'b + chroma 1 (0xfd); '11111'b + 0 bit depth twice (0xf8 0xf8); avgFrameRate 0; constantFrameRate 0,
     * numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3 (0b00_001_1_11 = 0x0f); 3 arrays, each
     * array_completeness 1 + type (0xa0 VPS, 0xa1 SPS, 0xa2 PPS), numNalus 1, length, NAL unit.
     */
    static final String EXPECTED = "01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f 03"
            + " a0 0001 0018 " + HevcTestNals.VPS
            + " a1 0001 0029 " + HevcTestNals.SPS
            + " a2 0001 0007 " + HevcTestNals.PPS;

    private static ByteBuf build(String vps, String sps, String pps) {
        ByteBuf v = nal(vps);
        ByteBuf s = nal(sps);
        ByteBuf p = nal(pps);
        try {
            return HevcDecoderConfigurationRecordWriter.build(PooledByteBufAllocator.DEFAULT, v, s, p);
        } finally {
            v.release();
            s.release();
            p.release();
        }
    }

    @Test
    void recordOfTheFixtureParameterSetsIsByteExact() {
        ByteBuf record = build(HevcTestNals.VPS, HevcTestNals.SPS, HevcTestNals.PPS);
        try {
            assertEquals(HexBytes.hex(EXPECTED), ByteBufUtil.hexDump(record));
        } finally {
            record.release();
        }
    }

    @Test
    void parseReadsEveryField() {
        ByteBuf bytes = HexBytes.buf(EXPECTED);
        try {
            HevcDecoderConfigurationRecord r = HevcDecoderConfigurationRecord.parse(bytes);
            assertEquals(0, bytes.readerIndex(), "borrowed: reader index unchanged");
            assertEquals(1, r.profileIdc());
            assertEquals(0x60000000, r.compatibilityFlags());
            assertEquals(0x900000000000L, r.constraintIndicatorFlags());
            assertEquals(60, r.levelIdc());
            assertEquals(1, r.chromaFormatIdc());
            assertEquals(8, r.bitDepthLuma());
            assertEquals(1, r.numTemporalLayers());
            assertTrue(r.temporalIdNested());
            assertEquals(3, r.lengthSizeMinusOne());
            assertEquals(List.of(32, 33, 34), r.arrays().stream().map(a -> a.nalUnitType()).toList());
            assertTrue(r.arrays().stream().allMatch(a -> a.complete() && a.nalUnits().size() == 1));
            assertArrayEquals(HexBytes.bytes(HevcTestNals.SPS), r.arrays().get(1).nalUnits().get(0));
        } finally {
            bytes.release();
        }
    }

    @Test
    void buildRejectsAParameterSetOfTheWrongType() {
        H265Exception e = assertThrows(H265Exception.class,
                () -> build(HevcTestNals.SPS, HevcTestNals.SPS, HevcTestNals.PPS));
        assertEquals("HEVCDecoderConfigurationRecord: VPS expected (nal_unit_type 32), got nal_unit_type 33",
                e.getMessage());
    }

    @Test
    void buildRejectsAParameterSetOver65535Bytes() {
        ByteBuf v = nal(HevcTestNals.VPS);
        ByteBuf s = nal(HevcTestNals.SPS);
        ByteBuf p = PooledByteBufAllocator.DEFAULT.buffer(70_000).writeBytes(HexBytes.bytes(HevcTestNals.PPS))
                .writeZero(70_000 - 7);
        try {
            H265Exception e = assertThrows(H265Exception.class,
                    () -> HevcDecoderConfigurationRecordWriter.build(PooledByteBufAllocator.DEFAULT, v, s, p));
            assertEquals("HEVCDecoderConfigurationRecord: PPS of 70000 bytes is over the 16-bit nalUnitLength limit",
                    e.getMessage());
        } finally {
            v.release();
            s.release();
            p.release();
        }
    }

    private static String parseError(String hex) {
        ByteBuf bytes = HexBytes.buf(hex);
        try {
            return assertThrows(H265Exception.class, () -> HevcDecoderConfigurationRecord.parse(bytes)).getMessage();
        } finally {
            bytes.release();
        }
    }

    @Test
    void parseErrorsNameTheField() {
        String fixed = "01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f";
        assertEquals("HEVCDecoderConfigurationRecord: configurationVersion = 2, expected 1",
                parseError("02" + fixed.substring(2) + " 00"));
        assertEquals("HEVCDecoderConfigurationRecord truncated while reading the 23 fixed bytes: 22 bytes left",
                parseError(fixed));
        assertEquals("HEVCDecoderConfigurationRecord: reserved bits before min_spatial_segmentation_idc are not all 1",
                parseError(fixed.replace("f000", "7000") + " 00"));
        assertEquals("HEVCDecoderConfigurationRecord: reserved bits before chromaFormat are not all 1",
                parseError(fixed.replace("fd", "01") + " 00"));
        assertEquals("HEVCDecoderConfigurationRecord truncated while reading array 0 header: 1 bytes left",
                parseError(fixed + " 01 a0"));
        assertEquals("HEVCDecoderConfigurationRecord truncated while reading NAL unit 0 in array 0 (24 bytes): "
                + "2 bytes left", parseError(fixed + " 01 a0 0001 0018 4001"));
        assertEquals("HEVCDecoderConfigurationRecord truncated while reading nalUnitLength of NAL unit 1 in array 0:"
                + " 0 bytes left", parseError(fixed + " 01 a0 0002 0002 4001"));
        assertEquals("HEVCDecoderConfigurationRecord: 1 bytes after the last of 0 arrays",
                parseError(fixed + " 00 ff"));
    }

    /** What containers read from HevcParameterSets: the latest SPS's output size and the record of VPS + SPS + PPS. */
    @Test
    void parameterSetsGivePictureSizeAndTheRecord() {
        try (HevcParameterSets sets = new HevcParameterSets(PooledByteBufAllocator.DEFAULT)) {
            assertThrows(IllegalStateException.class, sets::width, "no SPS yet");
            for (String parameterSet : List.of(HevcTestNals.VPS, HevcTestNals.SPS)) {
                ByteBuf n = nal(parameterSet);
                assertTrue(sets.offer(n));
                n.release();
            }
            assertEquals(320, sets.width());
            assertEquals(180, sets.height());
            assertThrows(IllegalStateException.class,
                    () -> sets.decoderConfigurationRecord(PooledByteBufAllocator.DEFAULT), "no PPS yet");
            ByteBuf pps = nal(HevcTestNals.PPS);
            sets.offer(pps);
            pps.release();
            ByteBuf record = sets.decoderConfigurationRecord(PooledByteBufAllocator.DEFAULT);
            try {
                assertEquals(HexBytes.hex(EXPECTED), ByteBufUtil.hexDump(record));
            } finally {
                record.release();
            }
        }
    }
}
