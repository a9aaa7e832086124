package io.edgepush.protocol.hevc;

import static io.edgepush.protocol.hevc.HevcTestNals.nal;
import static io.edgepush.protocol.hevc.HevcTestNals.spsHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.hevc.HevcTestNals.Bits;
import io.netty.buffer.ByteBuf;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * VPS/SPS/PPS parsing (ITU-T H.265 7.3.2.1, 7.3.2.2.1, 7.3.2.3.1, 7.3.3) on the parameter sets of
 * fixtures/small.265, and every error path with crafted bits. Expected values decoded by hand from the bytes.
 */
class HevcParameterSetParsersTest {

    private static <T> T parse(String hex, Function<ByteBuf, T> parser) {
        ByteBuf nal = nal(hex);
        try {
            return parser.apply(nal);
        } finally {
            nal.release();
        }
    }

    private static String error(ByteBuf nal, Function<ByteBuf, ?> parser) {
        try {
            return assertThrows(H265Exception.class, () -> parser.apply(nal)).getMessage();
        } finally {
            nal.release();
        }
    }

    @Test
    void spsOfTheFixture() {
        HevcSps sps = parse(HevcTestNals.SPS, HevcSps::parse);
        assertEquals(0, sps.vpsId());
        assertEquals(0, sps.maxSubLayersMinus1());
        assertTrue(sps.temporalIdNesting());
        assertEquals(new ProfileTierLevel(0, false, 1, 0x60000000, 0x900000000000L, 60), sps.profileTierLevel());
        assertEquals(0, sps.spsId());
        assertEquals(1, sps.chromaFormatIdc());
        assertFalse(sps.separateColourPlane());
        assertEquals(320, sps.codedWidth());
        assertEquals(184, sps.codedHeight());
        assertEquals(320, sps.width());
        assertEquals(180, sps.height(), "conf_win_bottom_offset 2 chroma rows = 4 luma rows (SubHeightC 2)");
        assertEquals(8, sps.bitDepthLuma());
        assertEquals(8, sps.bitDepthChroma());
    }

    @Test
    void vpsAndPpsOfTheFixture() {
        HevcVps vps = parse(HevcTestNals.VPS, HevcVps::parse);
        assertEquals(new HevcVps(0, 0, 0, true, new ProfileTierLevel(0, false, 1, 0x60000000, 0x900000000000L, 60)),
                vps);
        HevcPps pps = parse(HevcTestNals.PPS, HevcPps::parse);
        assertEquals(0, pps.ppsId());
        assertEquals(0, pps.spsId());
        assertFalse(pps.dependentSliceSegmentsEnabled());
    }

    @Test
    void conformanceWindowCountsInChromaSamplesPerChromaFormat() {
        // 4:2:2 (SubWidthC 2, SubHeightC 1): left 1 + right 2 -> 6 columns, top 1 + bottom 1 -> 2 rows
        HevcSps s422 = HevcSps.parse(release(spsHead().ue(0).ue(2).ue(64).ue(32).u(1, 1)
                .ue(1).ue(2).ue(1).ue(1).ue(2).ue(2).nal(33)));
        assertEquals(58, s422.width());
        assertEquals(30, s422.height());
        assertEquals(10, s422.bitDepthLuma());
        // 4:4:4 with separate colour planes: ChromaArrayType 0, offsets in luma samples
        HevcSps sep = HevcSps.parse(release(spsHead().ue(3).ue(3).u(1, 1).ue(64).ue(32).u(1, 1)
                .ue(1).ue(0).ue(0).ue(3).ue(0).ue(0).nal(33)));
        assertTrue(sep.separateColourPlane());
        assertEquals(63, sep.width());
        assertEquals(29, sep.height());
        assertEquals(3, sep.spsId());
    }

    /** Parses a buffer and releases it in the same call: keeps tests short. */
    private static ByteBuf release(ByteBuf nal) {
        ByteBuf copy = io.netty.buffer.Unpooled.copiedBuffer(nal);
        nal.release();
        return copy;
    }

    @Test
    void spsErrorsNameTheField() {
        assertEquals("HEVC SPS: chroma_format_idc = 4 out of range 0..3",
                error(spsHead().ue(0).ue(4).nal(33), HevcSps::parse));
        assertEquals("HEVC SPS: sps_seq_parameter_set_id = 16 out of range 0..15",
                error(spsHead().ue(16).nal(33), HevcSps::parse));
        assertEquals("HEVC SPS: pic_width_in_luma_samples = 0 out of range 1..65535",
                error(spsHead().ue(0).ue(1).ue(0).nal(33), HevcSps::parse));
        assertTrue(error(spsHead().ue(0).ue(1).ue(64).ue(32).u(1, 1).ue(32).ue(0).ue(0).ue(0).nal(33),
                HevcSps::parse).startsWith("HEVC SPS: conformance window (64 x 0 luma samples) leaves no picture"));
        assertEquals("HEVC SPS: bit_depth_luma_minus8 = 9 out of range 0..8",
                error(spsHead().ue(0).ue(1).ue(64).ue(32).u(1, 0).ue(9).nal(33), HevcSps::parse));
        assertEquals("HEVC SPS: sps_max_sub_layers_minus1 = 7 out of range 0..6",
                error(new Bits().u(4, 0).u(3, 7).u(1, 1).nal(33), HevcSps::parse));
        assertTrue(error(nal("42 01 01 01 60"), HevcSps::parse)
                .startsWith("HEVC SPS truncated while reading general_profile_compatibility_flag"));
        assertEquals("HEVC SPS expected, got nal_unit_type 34", error(nal(HevcTestNals.PPS), HevcSps::parse));
    }

    @Test
    void subLayersAreSkipped() {
        // two sub-layers: flags for sub-layer 0 (profile and level present), reserved_zero_2bits for 1..7,
        // 88 bits of sub-layer profile, 8 bits of sub-layer level
        Bits bits = new Bits().u(4, 0).u(3, 1).u(1, 0).mainProfileTierLevel().u(1, 1).u(1, 1);
        for (int i = 1; i < 8; i++) {
            bits.u(2, 0);
        }
        bits.u(32, 0x01600000L).u(32, 0).u(24, 0).u(8, 0x3c);
        HevcSps sps = HevcSps.parse(release(bits.ue(5).ue(1).ue(16).ue(16).u(1, 0).ue(0).ue(0).nal(33)));
        assertEquals(1, sps.maxSubLayersMinus1());
        assertEquals(5, sps.spsId());
        assertEquals(16, sps.width());
    }

    @Test
    void vpsErrors() {
        assertEquals("HEVC VPS: vps_reserved_0xffff_16bits = 0xFF00, expected 0xFFFF",
                error(new Bits().u(4, 0).u(2, 3).u(6, 0).u(3, 0).u(1, 1).u(16, 0xFF00).nal(32), HevcVps::parse));
        assertEquals("HEVC VPS: vps_max_sub_layers_minus1 = 7 out of range 0..6",
                error(new Bits().u(4, 0).u(2, 3).u(6, 0).u(3, 7).u(1, 1).nal(32), HevcVps::parse));
        assertTrue(error(nal("40 01 0c 01 ff ff 01"), HevcVps::parse)
                .startsWith("HEVC VPS truncated while reading general_profile_compatibility_flag"));
        assertEquals("HEVC VPS expected, got nal_unit_type 33", error(nal(HevcTestNals.SPS), HevcVps::parse));
    }

    @Test
    void ppsErrors() {
        assertEquals("HEVC PPS: pps_pic_parameter_set_id = 64 out of range 0..63",
                error(new Bits().ue(64).nal(34), HevcPps::parse));
        assertEquals("HEVC PPS: pps_seq_parameter_set_id = 16 out of range 0..15",
                error(new Bits().ue(0).ue(16).nal(34), HevcPps::parse));
        assertTrue(error(nal("44 01"), HevcPps::parse).startsWith("HEVC PPS truncated while reading pps_pic"));
        assertEquals("HEVC PPS expected, got nal_unit_type 32", error(nal(HevcTestNals.VPS), HevcPps::parse));
    }

    @Test
    void nalUnitHeaderErrors() {
        assertEquals("HEVC NAL unit of 1 bytes is shorter than the 2-byte NAL unit header",
                error(nal("42"), HevcSps::parse));
        assertEquals("HEVC NAL unit header: forbidden_zero_bit is 1", error(nal("c2 01 00"), HevcSps::parse));
        assertEquals("HEVC NAL unit header: nuh_temporal_id_plus1 is 0", error(nal("42 00 00"), HevcSps::parse));
        ByteBuf layer = nal("43 f9");
        try {
            assertEquals(63, HevcNalUnitType.layerId(layer));
            assertEquals(33, HevcNalUnitType.of(layer));
        } finally {
            layer.release();
        }
    }
}
