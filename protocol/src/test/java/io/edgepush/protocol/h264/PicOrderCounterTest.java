package io.edgepush.protocol.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Picture order count (ISO/IEC 14496-10 8.2.1) against values worked out by hand from the equations 8-3 .. 8-12.
 */
class PicOrderCounterTest {

    /** Frame-only Main-profile SPS: MaxFrameNum 16, pic_order_cnt_type and MaxPicOrderCntLsb as given. */
    static Sps sps(int pocType, int log2MaxPocLsb) {
        return new Sps(77, 0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, pocType, log2MaxPocLsb, false, 4, null);
    }

    static Sps spsType1(int offsetForNonRefPic, int offsetForTopToBottomField, List<Integer> offsetForRefFrame) {
        return new Sps(77, 0, 30, 0, 1, false, 8, 8, 320, 240, 4, true, 1, 0, false, 4, null,
                offsetForNonRefPic, offsetForTopToBottomField, offsetForRefFrame, -1);
    }

    static SliceHeader idr(int lsb) {
        return new SliceHeader(5, 3, 0, 7, 0, 0, false, false, 0, lsb, 0, 0, 0);
    }

    /** A frame slice: nal_ref_idc 2 (reference) or 0, frame_num, pic_order_cnt_lsb, delta_pic_order_cnt[0..1]. */
    static SliceHeader frame(int refIdc, int frameNum, int lsb, int delta0, int delta1) {
        return new SliceHeader(1, refIdc, 0, 5, 0, frameNum, false, false, -1, lsb, 0, delta0, delta1);
    }

    static SliceHeader field(int refIdc, int frameNum, boolean bottom, int lsb, int delta0) {
        return new SliceHeader(1, refIdc, 0, 5, 0, frameNum, true, bottom, -1, lsb, 0, delta0, 0);
    }

    @Test
    void type0FollowsLsbWrapBothWaysAndOnlyReferencePicturesMoveTheMsb() {
        Sps sps = sps(0, 4); // MaxPicOrderCntLsb 16
        PicOrderCounter c = new PicOrderCounter();
        assertEquals(0, c.next(sps, idr(0), false).picOrderCnt());
        assertEquals(6, c.next(sps, frame(2, 1, 6, 0, 0), false).picOrderCnt());
        assertEquals(2, c.next(sps, frame(0, 2, 2, 0, 0), false).picOrderCnt());
        assertEquals(4, c.next(sps, frame(0, 2, 4, 0, 0), false).picOrderCnt());
        assertEquals(12, c.next(sps, frame(2, 2, 12, 0, 0), false).picOrderCnt());
        assertEquals(8, c.next(sps, frame(0, 3, 8, 0, 0), false).picOrderCnt());
        // lsb 2 after reference lsb 12: 12 - 2 >= 8, so PicOrderCntMsb = 0 + 16
        assertEquals(18, c.next(sps, frame(2, 3, 2, 0, 0), false).picOrderCnt());
        // lsb 14 after reference lsb 2 (msb 16): 14 - 2 > 8, so PicOrderCntMsb = 16 - 16
        assertEquals(14, c.next(sps, frame(0, 4, 14, 0, 0), false).picOrderCnt());
        // the non-reference picture above did not become prevPicOrderCntLsb: still lsb 2 / msb 16
        assertEquals(16, c.next(sps, frame(0, 4, 0, 0, 0), false).picOrderCnt());
        assertEquals(0, c.next(sps, idr(0), false).picOrderCnt(), "an IDR picture resets the counter");
    }

    @Test
    void type0BottomFieldDeltaAndFieldPictures() {
        Sps sps = sps(0, 4);
        PicOrderCounter c = new PicOrderCounter();
        c.next(sps, idr(0), false);
        SliceHeader withDelta = new SliceHeader(1, 2, 0, 5, 0, 1, false, false, -1, 4, -1, 0, 0);
        assertEquals(new PicOrderCounter.PicOrderCount(4, 3, 3), c.next(sps, withDelta, false));
        assertEquals(new PicOrderCounter.PicOrderCount(8, 8, 8), c.next(sps, field(2, 2, false, 8, 0), false));
        assertEquals(new PicOrderCounter.PicOrderCount(9, 9, 9), c.next(sps, field(2, 2, true, 9, 0), false));
    }

    @Test
    void type0AfterMmco5UsesTheResetTopFieldOrderCnt() {
        Sps sps = sps(0, 5); // MaxPicOrderCntLsb 32
        PicOrderCounter c = new PicOrderCounter();
        c.next(sps, idr(0), false);
        assertEquals(8, c.next(sps, frame(2, 1, 8, 0, 0), false).picOrderCnt());
        assertEquals(new PicOrderCounter.PicOrderCount(0, 0, 0), c.next(sps, frame(2, 2, 16, 0, 0), true));
        // prevPicOrderCntLsb = 0 (not 16): lsb 30 is 30 above it (> 16), so PicOrderCntMsb = -32
        assertEquals(-2, c.next(sps, frame(2, 1, 30, 0, 0), false).picOrderCnt());
    }

    @Test
    void type1ExpectedPicOrderCntFromTheCycle() {
        Sps sps = spsType1(-4, 0, List.of(5, 7));
        PicOrderCounter c = new PicOrderCounter();
        assertEquals(0, c.next(sps, idr(0), false).picOrderCnt());
        assertEquals(5, c.next(sps, frame(2, 1, 0, 0, 0), false).picOrderCnt()); // absFrameNum 1: 5
        assertEquals(12, c.next(sps, frame(2, 2, 0, 0, 0), false).picOrderCnt()); // 5 + 7
        // non-reference, frame_num 3: absFrameNum 3 - 1 = 2 -> 12, + offset_for_non_ref_pic -4, + delta 2
        assertEquals(10, c.next(sps, frame(0, 3, 0, 2, 0), false).picOrderCnt());
        assertEquals(17, c.next(sps, frame(2, 3, 0, 0, 0), false).picOrderCnt()); // one cycle (12) + 5
        assertEquals(24, c.next(sps, frame(2, 4, 0, 0, 0), false).picOrderCnt()); // 12 + 12
    }

    @Test
    void type1FrameNumWrapAddsMaxFrameNumAndFieldsUseTopToBottomOffset() {
        Sps sps = spsType1(0, 1, List.of(6));
        PicOrderCounter c = new PicOrderCounter();
        c.next(sps, idr(0), false);
        for (int frameNum = 1; frameNum <= 15; frameNum++) {
            assertEquals(6 * frameNum, c.next(sps, frame(2, frameNum, 0, 0, 0), false).picOrderCnt());
        }
        // frame_num 0 after 15: FrameNumOffset 16, absFrameNum 16 -> 96; bottom = 96 + 1 + delta[1] 2
        assertEquals(new PicOrderCounter.PicOrderCount(96, 99, 96), c.next(sps, frame(2, 0, 0, 0, 2), false));
        assertEquals(new PicOrderCounter.PicOrderCount(102, 102, 102),
                c.next(sps, field(2, 1, false, 0, 0), false));
        assertEquals(new PicOrderCounter.PicOrderCount(103, 103, 103),
                c.next(sps, field(2, 1, true, 0, 0), false));
    }

    @Test
    void type2IsTwiceTheFrameCountMinusOneForNonReference() {
        Sps sps = sps(2, 0);
        PicOrderCounter c = new PicOrderCounter();
        assertEquals(0, c.next(sps, idr(0), false).picOrderCnt());
        assertEquals(2, c.next(sps, frame(2, 1, 0, 0, 0), false).picOrderCnt());
        assertEquals(3, c.next(sps, frame(0, 2, 0, 0, 0), false).picOrderCnt());
        assertEquals(4, c.next(sps, frame(2, 2, 0, 0, 0), false).picOrderCnt());
        for (int frameNum = 3; frameNum <= 15; frameNum++) {
            c.next(sps, frame(2, frameNum, 0, 0, 0), false);
        }
        assertEquals(32, c.next(sps, frame(2, 0, 0, 0, 0), false).picOrderCnt(), "FrameNumOffset 16 after wrap");
        // mmco 5: tempPicOrderCnt 34 is subtracted, and the next picture starts from frame_num offset 0
        assertEquals(0, c.next(sps, frame(2, 1, 0, 0, 0), true).picOrderCnt());
        assertEquals(2, c.next(sps, frame(2, 1, 0, 0, 0), false).picOrderCnt());
    }

    @Test
    void mmco5InNonReferencePictureIsRejected() {
        PicOrderCounter c = new PicOrderCounter();
        H264Exception e = assertThrows(H264Exception.class, () -> c.next(sps(2, 0), frame(0, 1, 0, 0, 0), true));
        assertEquals("memory_management_control_operation 5 in a non-reference picture (nal_ref_idc 0)",
                e.getMessage());
    }

    @Test
    void overflowingCountIsAnErrorAndLeavesTheStateUnchanged() {
        Sps sps = spsType1(0, 0, List.of(Integer.MAX_VALUE));
        PicOrderCounter c = new PicOrderCounter();
        c.next(sps, idr(0), false);
        assertEquals(Integer.MAX_VALUE, c.next(sps, frame(2, 1, 0, 0, 0), false).picOrderCnt());
        H264Exception e = assertThrows(H264Exception.class, () -> c.next(sps, frame(2, 2, 0, 0, 0), false));
        assertEquals("picture order count 4294967294 is outside the 32-bit range (8.2.1)", e.getMessage());
        assertEquals(0, c.next(sps, idr(0), false).picOrderCnt());
    }
}
