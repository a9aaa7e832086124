package io.edgepush.protocol.h264;

/**
 * The fields of a picture parameter set (ISO/IEC 14496-10 7.3.2.2) that the pipeline needs.
 *
 * @param ppsId pic_parameter_set_id, 0..255
 * @param spsId seq_parameter_set_id of the SPS it refers to, 0..31
 * @param entropyCodingModeFlag entropy_coding_mode_flag (true = CABAC)
 * @param bottomFieldPicOrderInFramePresent bottom_field_pic_order_in_frame_present_flag
 * @param numSliceGroups num_slice_groups_minus1 + 1
 * @param numRefIdxL0DefaultActive num_ref_idx_l0_default_active_minus1 + 1
 * @param numRefIdxL1DefaultActive num_ref_idx_l1_default_active_minus1 + 1
 * @param weightedPredFlag weighted_pred_flag
 * @param weightedBipredIdc weighted_bipred_idc
 * @param picInitQp 26 + pic_init_qp_minus26
 * @param deblockingFilterControlPresent deblocking_filter_control_present_flag
 * @param redundantPicCntPresent redundant_pic_cnt_present_flag
 * @param transform8x8Mode transform_8x8_mode_flag (false when the optional High-profile tail is absent)
 */
record Pps(
        int ppsId,
        int spsId,
        boolean entropyCodingModeFlag,
        boolean bottomFieldPicOrderInFramePresent,
        int numSliceGroups,
        int numRefIdxL0DefaultActive,
        int numRefIdxL1DefaultActive,
        boolean weightedPredFlag,
        int weightedBipredIdc,
        int picInitQp,
        boolean deblockingFilterControlPresent,
        boolean redundantPicCntPresent,
        boolean transform8x8Mode) {
}
