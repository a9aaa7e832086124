package io.edgepush.protocol.h264;

import java.util.List;

/**
 * Decoding process for picture order count (ISO/IEC 14496-10 8.2.1): TopFieldOrderCnt and BottomFieldOrderCnt
 * of each picture, for pic_order_cnt_type 0 (8.2.1.1), 1 (8.2.1.2) and 2 (8.2.1.3).
 *
 * <p>Feed every primary coded picture in decoding order with its first slice header (which carries nal_ref_idc)
 * and the active SPS. The counter keeps the state the spec carries between pictures: prevPicOrderCntMsb and
 * prevPicOrderCntLsb of the previous reference picture (type 0), prevFrameNumOffset and prevFrameNum of the
 * previous picture (types 1 and 2). An IDR picture resets them. A picture with memory_management_control_operation
 * 5 (8.2.5.4) is supported when the caller knows about it ({@code mmco5}); {@link SliceHeader} stops before
 * dec_ref_pic_marking, so callers that only have a {@link SliceHeader} pass false (x264 never writes mmco 5).
 * Not thread-safe.
 */
final class PicOrderCounter {

    /**
     * The picture order counts of one picture.
     *
     * @param topFieldOrderCnt TopFieldOrderCnt (for a bottom field picture: equal to bottomFieldOrderCnt)
     * @param bottomFieldOrderCnt BottomFieldOrderCnt (for a top field picture: equal to topFieldOrderCnt)
     * @param picOrderCnt PicOrderCnt(CurrPic) (8-1): Min(top, bottom) for a frame, else the field's own count.
     *     For a picture with memory_management_control_operation 5 these are the values after decoding it,
     *     i.e. reduced by tempPicOrderCnt (8.2.1), so picOrderCnt is 0
     */
    public record PicOrderCount(int topFieldOrderCnt, int bottomFieldOrderCnt, int picOrderCnt) {
    }

    private int prevRefPicOrderCntMsb;
    private int prevRefPicOrderCntLsb;
    private int prevFrameNumOffset;
    private int prevFrameNum;

    /**
     * Computes the picture order count of the next picture in decoding order and updates the state.
     *
     * @param sps the active SPS (pic_order_cnt_type, MaxPicOrderCntLsb, MaxFrameNum, type 1 offsets)
     * @param slice the first slice header of the picture (nal_ref_idc, IdrPicFlag, frame_num, field flags, the
     *     pic_order_cnt_lsb / delta_pic_order_cnt fields)
     * @param mmco5 whether the picture's dec_ref_pic_marking holds memory_management_control_operation 5
     * @return TopFieldOrderCnt, BottomFieldOrderCnt and PicOrderCnt
     * @throws H264Exception if mmco5 is claimed for a non-reference picture (it can only occur in a reference
     *     picture, 7.3.3.3) or the counts leave the 32-bit range (a corrupt stream); the state is then unchanged
     */
    public PicOrderCount next(Sps sps, SliceHeader slice, boolean mmco5) {
        int picOrderCnt = nextPicOrderCnt(sps, slice, mmco5);
        return new PicOrderCount(lastTopFieldOrderCnt, lastBottomFieldOrderCnt, picOrderCnt);
    }

    /** TopFieldOrderCnt and BottomFieldOrderCnt of the last {@link #nextPicOrderCnt} picture. */
    private int lastTopFieldOrderCnt;
    private int lastBottomFieldOrderCnt;

    /**
     * As {@link #next}, returning only PicOrderCnt (per frame on the hot path: no result object).
     *
     * @throws H264Exception as {@link #next}
     */
    public int nextPicOrderCnt(Sps sps, SliceHeader slice, boolean mmco5) {
        if (mmco5 && slice.nalRefIdc() == 0) {
            throw new H264Exception("memory_management_control_operation 5 in a non-reference picture (nal_ref_idc 0)");
        }
        long top;
        long bottom;
        int msb = 0;
        int frameNumOffset = 0;
        switch (sps.pocType()) {
            case 0 -> {
                int prevMsb = slice.isIdr() ? 0 : prevRefPicOrderCntMsb;
                int prevLsb = slice.isIdr() ? 0 : prevRefPicOrderCntLsb;
                int maxLsb = 1 << sps.log2MaxPocLsb();
                int lsb = slice.picOrderCntLsb();
                if (lsb < prevLsb && prevLsb - lsb >= maxLsb / 2) {
                    msb = prevMsb + maxLsb;
                } else if (lsb > prevLsb && lsb - prevLsb > maxLsb / 2) {
                    msb = prevMsb - maxLsb;
                } else {
                    msb = prevMsb;
                }
                top = (long) msb + lsb;
                bottom = slice.fieldPic() ? top : top + slice.deltaPicOrderCntBottom();
            }
            case 1 -> {
                frameNumOffset = frameNumOffset(sps, slice);
                long expected = expectedPicOrderCnt(sps, slice, frameNumOffset);
                if (!slice.fieldPic()) {
                    top = expected + slice.deltaPicOrderCnt0();
                    bottom = top + sps.offsetForTopToBottomField() + slice.deltaPicOrderCnt1();
                } else if (!slice.bottomField()) {
                    top = expected + slice.deltaPicOrderCnt0();
                    bottom = top;
                } else {
                    bottom = expected + sps.offsetForTopToBottomField() + slice.deltaPicOrderCnt0();
                    top = bottom;
                }
            }
            default -> {
                frameNumOffset = frameNumOffset(sps, slice);
                long frameCount = (long) frameNumOffset + slice.frameNum();
                long temp = slice.isIdr() ? 0 : (slice.nalRefIdc() == 0 ? 2 * frameCount - 1 : 2 * frameCount);
                top = temp;
                bottom = temp;
            }
        }
        long poc = !slice.fieldPic() ? Math.min(top, bottom) : (slice.bottomField() ? bottom : top);
        if (mmco5) {
            top -= poc;
            bottom -= poc;
            poc = 0;
        }
        int topCnt = toInt(top);
        int bottomCnt = toInt(bottom);
        int picOrderCnt = toInt(poc);
        if (slice.nalRefIdc() != 0) {
            if (mmco5) {
                prevRefPicOrderCntMsb = 0;
                prevRefPicOrderCntLsb = slice.fieldPic() && slice.bottomField() ? 0 : topCnt;
            } else {
                prevRefPicOrderCntMsb = msb;
                prevRefPicOrderCntLsb = slice.picOrderCntLsb();
            }
        }
        prevFrameNumOffset = mmco5 ? 0 : frameNumOffset;
        prevFrameNum = mmco5 ? 0 : slice.frameNum();
        lastTopFieldOrderCnt = topCnt;
        lastBottomFieldOrderCnt = bottomCnt;
        return picOrderCnt;
    }

    /** FrameNumOffset (8-6, 8-11): 0 at an IDR, else prevFrameNumOffset plus MaxFrameNum when frame_num wrapped. */
    private int frameNumOffset(Sps sps, SliceHeader slice) {
        if (slice.isIdr()) {
            return 0;
        }
        long offset = prevFrameNum > slice.frameNum() ? (long) prevFrameNumOffset + sps.maxFrameNum()
                : prevFrameNumOffset;
        return toInt(offset);
    }

    /** expectedPicOrderCnt of 8.2.1.2 (8-7 .. 8-10), including offset_for_non_ref_pic. */
    private static long expectedPicOrderCnt(Sps sps, SliceHeader slice, int frameNumOffset) {
        List<Integer> offsets = sps.offsetForRefFrame();
        int cycleLength = offsets.size();
        long absFrameNum = cycleLength != 0 ? (long) frameNumOffset + slice.frameNum() : 0;
        if (slice.nalRefIdc() == 0 && absFrameNum > 0) {
            absFrameNum--;
        }
        long expected = 0;
        if (absFrameNum > 0) {
            long expectedDeltaPerCycle = 0;
            for (int offset : offsets) {
                expectedDeltaPerCycle += offset;
            }
            long cycleCount = (absFrameNum - 1) / cycleLength;
            int frameNumInCycle = (int) ((absFrameNum - 1) % cycleLength);
            expected = cycleCount * expectedDeltaPerCycle;
            for (int i = 0; i <= frameNumInCycle; i++) {
                expected += offsets.get(i);
            }
        }
        if (slice.nalRefIdc() == 0) {
            expected += sps.offsetForNonRefPic();
        }
        return expected;
    }

    private static int toInt(long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new H264Exception("picture order count " + value + " is outside the 32-bit range (8.2.1)");
        }
        return (int) value;
    }
}
