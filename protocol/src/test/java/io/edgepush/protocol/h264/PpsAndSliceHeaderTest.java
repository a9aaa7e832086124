package io.edgepush.protocol.h264;

import static io.edgepush.protocol.h264.Vectors.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PpsAndSliceHeaderTest {
    private static final Sps SPS_720P = SpsParser.parse(buf(Vectors.SPS_720P_BASELINE));
    private static final Sps SPS_1080I = SpsParser.parse(buf(Vectors.SPS_1080I_MAIN));
    private static final Pps PPS_0 = PpsParser.parse(buf(Vectors.PPS_0));
    private static final Pps PPS_1 = PpsParser.parse(buf(Vectors.PPS_1_FMO_CABAC));

    @Test
    void parsesBaselinePps() {
        assertEquals(new Pps(0, 0, false, false, 1, 1, 1, false, 0, 26, true, false, false), PPS_0);
    }

    @Test
    void parsesPpsWithSliceGroupMapAndHighProfileTail() {
        assertEquals(new Pps(1, 0, true, true, 2, 3, 1, true, 1, 23, true, false, true), PPS_1);
    }

    @Test
    void ppsErrorsNameTheField() {
        H264Exception e = assertThrows(H264Exception.class, () -> PpsParser.parse(buf("68 ce")));
        assertTrue(e.getMessage().startsWith("PPS truncated while reading "), e.getMessage());
        H264Exception e2 = assertThrows(H264Exception.class, () -> PpsParser.parse(buf("67 ce 3c 80")));
        assertEquals("expected a PPS NAL unit (type 8), got nal_unit_type 7", e2.getMessage());
        // 1 pps 0 | 1 sps 0 | 0 | 0 | num_slice_groups_minus1 = ue 0001001 = 8 > 7 | 1 stop
        H264Exception e3 = assertThrows(H264Exception.class, () -> PpsParser.parse(buf("68 c1 30")));
        assertEquals("PPS: num_slice_groups_minus1 = 8 out of range 0..7", e3.getMessage());
    }

    @Test
    void parsesIdrSliceHeader() {
        SliceHeader h = parse(Vectors.IDR_MB40);
        assertEquals(new SliceHeader(5, 3, 40, 7, 0, 0, false, false, 0, 0, 0, 0, 0), h);
        assertTrue(h.isIdr());
        assertEquals(0, SliceHeader.readFirstMbInSlice(buf(Vectors.IDR_MB0)));
    }

    @Test
    void parsesPSliceHeader() {
        SliceHeader h = parse(Vectors.P_MB0_FN1);
        assertEquals(new SliceHeader(1, 2, 0, 5, 0, 1, false, false, -1, 0, 0, 0, 0), h);
        assertFalse(h.isIdr());
    }

    @Test
    void parsesFieldAndFramePocFieldsOfAnInterlacedStream() {
        Map<Integer, Sps> sps = Map.of(0, SPS_1080I);
        Map<Integer, Pps> pps = Map.of(1, PPS_1);
        // 0x25: nal_ref_idc 1, IDR | 00100 first_mb 3 | 011 slice_type 2 | 010 pps 1 | 1001 frame_num 9 |
        // 1 field_pic | 1 bottom_field | 00110 idr_pic_id 5 | 0110 pic_order_cnt_lsb 6 | stop
        SliceHeader field = SliceHeader.parse(buf("25 23 53 99 b0"), pps::get, sps::get);
        assertEquals(new SliceHeader(5, 1, 3, 2, 1, 9, true, true, 5, 6, 0, 0, 0), field);
        // 0x21: non-IDR | 1 first_mb 0 | 1 slice_type 0 | 010 pps 1 | 1001 | 0 frame | 0110 lsb 6 |
        // 00101 delta_pic_order_cnt_bottom -2 (bottom_field_pic_order_in_frame_present) | stop
        SliceHeader frame = SliceHeader.parse(buf("21 d4 98 b8"), pps::get, sps::get);
        assertEquals(new SliceHeader(1, 1, 0, 0, 1, 9, false, false, -1, 6, -2, 0, 0), frame);
        assertTrue(field.belongsToDifferentPicture(frame));
    }

    @Test
    void sliceHeaderErrors() {
        H264Exception missing = assertThrows(H264Exception.class,
                () -> SliceHeader.parse(buf(Vectors.IDR_MB0), id -> null, id -> SPS_720P));
        assertEquals("slice header refers to PPS 0 which has not been received", missing.getMessage());
        H264Exception noSps = assertThrows(H264Exception.class,
                () -> SliceHeader.parse(buf(Vectors.IDR_MB0), id -> PPS_0, id -> null));
        assertEquals("slice header refers to PPS 0 whose SPS 0 has not been received", noSps.getMessage());
        // 1 first_mb 0 | 0001000 slice_type 7 | 1 pps 0 | 0000 frame_num | 000 and the data ends in idr_pic_id
        H264Exception truncated = assertThrows(H264Exception.class, () -> parse("65 88 80"));
        assertEquals("slice header truncated while reading idr_pic_id (bit 16 of 16)", truncated.getMessage());
        H264Exception empty = assertThrows(H264Exception.class, () -> SliceHeader.readFirstMbInSlice(buf("65")));
        assertEquals("slice header truncated while reading first_mb_in_slice (bit 0 of 0)", empty.getMessage());
        assertThrows(H264Exception.class, () -> parse(Vectors.SPS_720P_BASELINE));
    }

    @Test
    void pictureBoundaryRulesOf7_4_1_2_4() {
        SliceHeader a = parse(Vectors.P_MB0_FN1);
        assertFalse(a.belongsToDifferentPicture(parse(Vectors.P_MB40_FN1)));
        assertTrue(a.belongsToDifferentPicture(parse(Vectors.P_MB40_FN2)));
        assertTrue(parse(Vectors.IDR_MB0).belongsToDifferentPicture(a));
        SliceHeader idr0 = parse(Vectors.IDR_MB0);
        SliceHeader idr1 = new SliceHeader(5, 3, 0, 7, 0, 0, false, false, 1, 0, 0, 0, 0);
        assertTrue(idr0.belongsToDifferentPicture(idr1));
        SliceHeader nonRef = new SliceHeader(1, 0, 0, 5, 0, 1, false, false, -1, 0, 0, 0, 0);
        assertTrue(a.belongsToDifferentPicture(nonRef));
    }

    private static SliceHeader parse(String hex) {
        return SliceHeader.parse(buf(hex), id -> id == 0 ? PPS_0 : null, id -> id == 0 ? SPS_720P : null);
    }
}
