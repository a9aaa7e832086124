package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Fuzz target for {@link PpsParser} (ISO/IEC 14496-10 7.3.2.2) and {@link SliceHeader#parse} (7.3.3) with the
 * parameter sets it refers to. Input layout: one length byte and that many SPS NAL unit bytes, one length byte
 * and that many PPS NAL unit bytes, then the slice NAL unit (each starting with its header byte).
 *
 * <p>Invariants: only {@link H264Exception} escapes from either parser; no input is modified; a parsed PPS has
 * pic_parameter_set_id 0..255, seq_parameter_set_id 0..31, 1..8 slice groups and 1..32 default reference
 * indices; a slice header parses only with its PPS and that PPS's SPS present, and then holds slice_type 0..9,
 * frame_num below MaxFrameNum, pic_order_cnt_lsb below MaxPicOrderCntLsb (0 unless pic_order_cnt_type 0),
 * idr_pic_id -1 exactly for non-IDR slices, no bottom field without a field picture, the same
 * first_mb_in_slice as {@link SliceHeader#readFirstMbInSlice}, and it never belongs to a different picture
 * than itself (7.4.1.2.4).
 */
class SliceHeaderFuzzTest {

    @FuzzTest
    void parse(byte[] data) {
        int at = 0;
        if (data.length < 1) {
            return;
        }
        int spsLength = data[at++] & 0xFF;
        if (data.length < at + spsLength + 1) {
            return;
        }
        byte[] spsBytes = Arrays.copyOfRange(data, at, at + spsLength);
        at += spsLength;
        int ppsLength = data[at++] & 0xFF;
        if (data.length < at + ppsLength) {
            return;
        }
        byte[] ppsBytes = Arrays.copyOfRange(data, at, at + ppsLength);
        byte[] sliceBytes = Arrays.copyOfRange(data, at + ppsLength, data.length);

        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf spsBuf = alloc.buffer(Math.max(1, spsBytes.length)).writeBytes(spsBytes);
        ByteBuf ppsBuf = alloc.buffer(Math.max(1, ppsBytes.length)).writeBytes(ppsBytes);
        ByteBuf slice = alloc.buffer(Math.max(1, sliceBytes.length)).writeBytes(sliceBytes);
        try {
            Sps sps = parseOrNull(() -> SpsParser.parse(spsBuf));
            Pps pps = parseOrNull(() -> PpsParser.parse(ppsBuf));
            SpsFuzzTest.assertUnchanged(spsBytes, spsBuf);
            SpsFuzzTest.assertUnchanged(ppsBytes, ppsBuf);
            if (pps != null) {
                assertPpsInRange(pps);
            }
            SliceHeader header;
            try {
                header = SliceHeader.parse(slice,
                        id -> pps != null && pps.ppsId() == id ? pps : null,
                        id -> sps != null && sps.spsId() == id ? sps : null);
            } catch (H264Exception e) {
                SpsFuzzTest.assertUnchanged(sliceBytes, slice);
                return;
            }
            SpsFuzzTest.assertUnchanged(sliceBytes, slice);
            assertTrue(sps != null && pps != null && pps.spsId() == sps.spsId() && header.ppsId() == pps.ppsId(),
                    "slice header parsed without its parameter sets");
            assertSliceInRange(header, sps, slice);
        } finally {
            spsBuf.release();
            ppsBuf.release();
            slice.release();
            alloc.assertAllReleased("slice header input");
        }
    }

    private interface Parse<T> {
        T run();
    }

    private static <T> T parseOrNull(Parse<T> parse) {
        try {
            return parse.run();
        } catch (H264Exception e) {
            return null;
        }
    }

    private static void assertPpsInRange(Pps pps) {
        assertTrue(pps.ppsId() >= 0 && pps.ppsId() <= 255, "ppsId " + pps.ppsId());
        assertTrue(pps.spsId() >= 0 && pps.spsId() <= 31, "spsId " + pps.spsId());
        assertTrue(pps.numSliceGroups() >= 1 && pps.numSliceGroups() <= 8, "slice groups " + pps.numSliceGroups());
        assertTrue(pps.numRefIdxL0DefaultActive() >= 1 && pps.numRefIdxL0DefaultActive() <= 32, "refIdxL0");
        assertTrue(pps.numRefIdxL1DefaultActive() >= 1 && pps.numRefIdxL1DefaultActive() <= 32, "refIdxL1");
    }

    private static void assertSliceInRange(SliceHeader h, Sps sps, ByteBuf slice) {
        assertTrue(h.sliceType() >= 0 && h.sliceType() <= 9, "slice_type " + h.sliceType());
        assertTrue(h.firstMbInSlice() >= 0, "first_mb_in_slice " + h.firstMbInSlice());
        assertTrue(h.frameNum() >= 0 && h.frameNum() < 1 << sps.log2MaxFrameNum(), "frame_num " + h.frameNum());
        if (sps.pocType() == 0) {
            assertTrue(h.picOrderCntLsb() >= 0 && h.picOrderCntLsb() < 1 << sps.log2MaxPocLsb(),
                    "pic_order_cnt_lsb " + h.picOrderCntLsb());
        } else {
            assertEquals(0, h.picOrderCntLsb(), "pic_order_cnt_lsb without pic_order_cnt_type 0");
        }
        assertEquals(h.nalUnitType() == NalUnitType.IDR, h.isIdr());
        assertEquals(h.isIdr(), h.idrPicId() >= 0, "idr_pic_id " + h.idrPicId());
        assertTrue(h.fieldPic() || !h.bottomField(), "bottom field without field_pic_flag");
        assertTrue(!h.fieldPic() || !sps.frameMbsOnly(), "field picture with frame_mbs_only_flag");
        assertTrue(h.nalRefIdc() >= 0 && h.nalRefIdc() <= 3, "nal_ref_idc " + h.nalRefIdc());
        assertFalse(h.belongsToDifferentPicture(h), "a slice belongs to its own picture");
        assertEquals(h.firstMbInSlice(), SliceHeader.readFirstMbInSlice(slice), "first_mb_in_slice");
    }
}
