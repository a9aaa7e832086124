package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.Vectors.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpsParserTest {

    @Test
    void parsesBaseline720p() {
        Sps sps = SpsParser.parse(buf(Vectors.SPS_720P_BASELINE));
        assertEquals(new Sps(66, 0xC0, 31, 0, 1, false, 8, 8, 1280, 720, 4, true, 2, 0, false, 1, null), sps);
    }

    @Test
    void parsesHighProfileWithScalingListsCroppingAndVuiTiming() {
        Sps sps = SpsParser.parse(buf(Vectors.SPS_1080P_HIGH));
        assertEquals(100, sps.profileIdc());
        assertEquals(40, sps.levelIdc());
        assertEquals(1, sps.chromaFormatIdc());
        assertEquals(8, sps.bitDepthLuma());
        assertEquals(1920, sps.width());
        assertEquals(1080, sps.height()); // 68 MBs = 1088 lines, minus 4 * CropUnitY 2
        assertEquals(0, sps.pocType());
        assertEquals(6, sps.log2MaxPocLsb());
        assertEquals(4, sps.maxNumRefFrames());
        assertEquals(25.0, sps.fps()); // time_scale 50 / (2 * num_units_in_tick 1)
    }

    @Test
    void interlacedCropUnitDoublesForFields() {
        Sps sps = SpsParser.parse(buf(Vectors.SPS_1080I_MAIN));
        assertFalse(sps.frameMbsOnly());
        assertEquals(1920, sps.width());
        assertEquals(1080, sps.height()); // 2 * 34 map units = 68 MBs = 1088, minus 2 * CropUnitY 4
        assertEquals(4, sps.log2MaxPocLsb());
        assertEquals(77, sps.profileIdc());
        assertEquals(0x40, sps.constraintFlags());
    }

    @Test
    void chroma422CropUnitIsOneLine() {
        Sps sps = SpsParser.parse(buf(Vectors.SPS_1080P_422_10BIT));
        assertEquals(2, sps.chromaFormatIdc());
        assertEquals(10, sps.bitDepthLuma());
        assertEquals(10, sps.bitDepthChroma());
        assertEquals(1920, sps.width());
        assertEquals(1080, sps.height()); // 1088 minus 8 * CropUnitY 1
        assertTrue(sps.frameMbsOnly());
        assertNull(sps.fps());
    }

    @Test
    void truncatedSpsNamesTheField() {
        // SPS_720P_BASELINE cut inside pic_width_in_mbs_minus1
        H264Exception e = assertThrows(H264Exception.class, () -> SpsParser.parse(buf("67 42 c0 1f da 01")));
        assertEquals("SPS truncated while reading pic_width_in_mbs_minus1 (bit 40 of 40)", e.getMessage());
        H264Exception e2 = assertThrows(H264Exception.class, () -> SpsParser.parse(buf("67 42 c0")));
        assertTrue(e2.getMessage().startsWith("SPS truncated while reading level_idc"), e2.getMessage());
        // cut inside VUI time_scale
        H264Exception e3 = assertThrows(H264Exception.class,
                () -> SpsParser.parse(buf("67 64 00 28 ad 84 41 ff ff ff ff ff ff ff ff 6c a0 3c 01 13 f2 c2 00 00 03")));
        assertTrue(e3.getMessage().startsWith("SPS truncated while reading num_units_in_tick"), e3.getMessage());
    }

    @Test
    void garbageGivesAClearError() {
        H264Exception e = assertThrows(H264Exception.class,
                () -> SpsParser.parse(buf("67 42 00 1f 00 00 00 00 00 00 00 00")));
        assertTrue(e.getMessage().contains("invalid Exp-Golomb code for seq_parameter_set_id"), e.getMessage());
        // sps id ue = 00000100001 -> 2^5-1+1 = 32 > 31
        H264Exception e2 = assertThrows(H264Exception.class, () -> SpsParser.parse(buf("67 42 00 1f 04 20")));
        assertEquals("SPS: seq_parameter_set_id = 32 out of range 0..31", e2.getMessage());
        H264Exception e3 = assertThrows(H264Exception.class, () -> SpsParser.parse(buf("68 ce 3c 80")));
        assertEquals("expected an SPS NAL unit (type 7), got nal_unit_type 8", e3.getMessage());
        assertThrows(H264Exception.class, () -> SpsParser.parse(buf("")));
    }

    @Test
    void croppingLargerThanThePictureIsRejected() {
        // 16x16 baseline: 1 sps 0 | 1 | 1 poc 0 | 1 | 1 refs 0 | 0 | 1 width_mbs-1 0 | 1 height 0 | 1 | 1 |
        // 1 cropping 1 1 1 0001001 (bottom 8 * CropUnitY 2 = 16 lines, the whole picture) | 0 vui | 1 stop 0
        H264Exception e = assertThrows(H264Exception.class, () -> SpsParser.parse(buf("67 42 00 0a fb fc 4a")));
        assertTrue(e.getMessage().contains("removes the whole 16x16 picture"), e.getMessage());
    }

    @Test
    void scalingListDeltaOutOfRangeIsRejected() {
        // High: 1 sps 0 | 010 chroma 1 | 1 | 1 | 0 | 1 scaling matrix | 1 list0 | se(200) = 00000000110010000 | stop
        H264Exception e = assertThrows(H264Exception.class, () -> SpsParser.parse(buf("67 64 00 28 ad 80 64 20")));
        assertEquals("SPS: delta_scale = 200 out of range -128..127 in scaling list 0", e.getMessage());
    }
}
