package io.edgepush.protocol.h264;

import java.util.List;

/**
 * The fields of a sequence parameter set (ISO/IEC 14496-10 7.3.2.1.1) that the pipeline needs.
 *
 * @param profileIdc profile_idc (66 Baseline, 77 Main, 100 High, ...)
 * @param constraintFlags the byte holding constraint_set0_flag..constraint_set5_flag and reserved_zero_2bits
 * @param levelIdc level_idc (e.g. 31 for level 3.1)
 * @param spsId seq_parameter_set_id, 0..31
 * @param chromaFormatIdc chroma_format_idc, 0..3 (1 = 4:2:0, the default when absent)
 * @param separateColourPlane separate_colour_plane_flag
 * @param bitDepthLuma BitDepthY = 8 + bit_depth_luma_minus8
 * @param bitDepthChroma BitDepthC = 8 + bit_depth_chroma_minus8
 * @param width luma width in pixels after frame cropping
 * @param height luma height in pixels after frame cropping (frame, not field)
 * @param log2MaxFrameNum log2_max_frame_num_minus4 + 4 (bits of frame_num in slice headers)
 * @param frameMbsOnly frame_mbs_only_flag
 * @param pocType pic_order_cnt_type, 0..2
 * @param log2MaxPocLsb log2_max_pic_order_cnt_lsb_minus4 + 4 (0 when pocType != 0)
 * @param deltaPicOrderAlwaysZero delta_pic_order_always_zero_flag (pocType 1 only)
 * @param offsetForNonRefPic offset_for_non_ref_pic (pocType 1 only, else 0)
 * @param offsetForTopToBottomField offset_for_top_to_bottom_field (pocType 1 only, else 0)
 * @param offsetForRefFrame offset_for_ref_frame[0..num_ref_frames_in_pic_order_cnt_cycle - 1] (pocType 1 only,
 *     else empty); immutable
 * @param maxNumRefFrames max_num_ref_frames
 * @param fps frames per second from VUI timing_info, time_scale / (2 * num_units_in_tick), or null when absent
 * @param maxNumReorderFrames max_num_reorder_frames from VUI bitstream_restriction (E.2.1), or -1 when the SPS
 *     does not carry it
 */
record Sps(
        int profileIdc,
        int constraintFlags,
        int levelIdc,
        int spsId,
        int chromaFormatIdc,
        boolean separateColourPlane,
        int bitDepthLuma,
        int bitDepthChroma,
        int width,
        int height,
        int log2MaxFrameNum,
        boolean frameMbsOnly,
        int pocType,
        int log2MaxPocLsb,
        boolean deltaPicOrderAlwaysZero,
        int maxNumRefFrames,
        Double fps,
        int offsetForNonRefPic,
        int offsetForTopToBottomField,
        List<Integer> offsetForRefFrame,
        int maxNumReorderFrames) {

    /** Copies {@code offsetForRefFrame} into an immutable list. */
    public Sps {
        offsetForRefFrame = List.copyOf(offsetForRefFrame);
    }

    /**
     * The SPS of a stream without pic_order_cnt_type 1 fields and without VUI bitstream_restriction
     * (offsets 0, no offset_for_ref_frame, maxNumReorderFrames -1).
     */
    public Sps(int profileIdc, int constraintFlags, int levelIdc, int spsId, int chromaFormatIdc,
               boolean separateColourPlane, int bitDepthLuma, int bitDepthChroma, int width, int height,
               int log2MaxFrameNum, boolean frameMbsOnly, int pocType, int log2MaxPocLsb,
               boolean deltaPicOrderAlwaysZero, int maxNumRefFrames, Double fps) {
        this(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, separateColourPlane, bitDepthLuma,
                bitDepthChroma, width, height, log2MaxFrameNum, frameMbsOnly, pocType, log2MaxPocLsb,
                deltaPicOrderAlwaysZero, maxNumRefFrames, fps, 0, 0, List.of(), -1);
    }

    /** MaxFrameNum = 2^log2MaxFrameNum (7.4.2.1.1). */
    public int maxFrameNum() {
        return 1 << log2MaxFrameNum;
    }
}
