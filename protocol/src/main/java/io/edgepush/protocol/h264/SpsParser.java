package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parser for seq_parameter_set_rbsp (ISO/IEC 14496-10 7.3.2.1.1) including the high profiles'
 * chroma_format_idc, bit depths and scaling lists (7.3.2.1.1.1), frame cropping (7.4.2.1.1, crop units
 * depend on ChromaArrayType and frame_mbs_only_flag), the pic_order_cnt_type 1 offsets, VUI timing_info and
 * bitstream_restriction's max_num_reorder_frames (E.1.1, skipping hrd_parameters E.1.2). The VUI fields after
 * timing_info are optional for the pipeline: when they are truncated or out of range, the SPS is still accepted
 * with maxNumReorderFrames -1 (unknown) and a debug log line.
 */
final class SpsParser {
    private static final Logger LOG = LoggerFactory.getLogger(SpsParser.class);
    private static final int MAX_MBS = 139264; // MaxFS of level 6.2 (Table A-1)

    private SpsParser() {
    }

    /**
     * Parses an SPS NAL unit.
     *
     * @param nal borrowed; starts with the NAL unit header byte (nal_unit_type 7); not modified
     * @return the parsed SPS
     * @throws H264Exception if the NAL unit is not an SPS, is truncated or holds invalid values; the message
     *     names the syntax element that failed
     */
    public static Sps parse(ByteBuf nal) {
        int type = NalUnitType.of(nal);
        if (type != NalUnitType.SPS) {
            throw new H264Exception("expected an SPS NAL unit (type 7), got nal_unit_type " + type);
        }
        BitReader r = new BitReader(Rbsp.fromNal(nal, Integer.MAX_VALUE), "SPS");
        int profileIdc = (int) r.readBits(8, "profile_idc");
        int constraintFlags = (int) r.readBits(8, "constraint_set_flags");
        int levelIdc = (int) r.readBits(8, "level_idc");
        int spsId = r.readUE("seq_parameter_set_id", 0, 31);
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        int bitDepthLuma = 8;
        int bitDepthChroma = 8;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = r.readUE("chroma_format_idc", 0, 3);
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.readFlag("separate_colour_plane_flag");
            }
            bitDepthLuma = 8 + r.readUE("bit_depth_luma_minus8", 0, 6);
            bitDepthChroma = 8 + r.readUE("bit_depth_chroma_minus8", 0, 6);
            r.readFlag("qpprime_y_zero_transform_bypass_flag");
            if (r.readFlag("seq_scaling_matrix_present_flag")) {
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.readFlag("seq_scaling_list_present_flag[" + i + "]")) {
                        skipScalingList(r, i < 6 ? 16 : 64, i);
                    }
                }
            }
        }
        int log2MaxFrameNum = 4 + r.readUE("log2_max_frame_num_minus4", 0, 12);
        int pocType = r.readUE("pic_order_cnt_type", 0, 2);
        int log2MaxPocLsb = 0;
        boolean deltaPicOrderAlwaysZero = false;
        int offsetForNonRefPic = 0;
        int offsetForTopToBottomField = 0;
        List<Integer> offsetForRefFrame = new ArrayList<>();
        if (pocType == 0) {
            log2MaxPocLsb = 4 + r.readUE("log2_max_pic_order_cnt_lsb_minus4", 0, 12);
        } else if (pocType == 1) {
            deltaPicOrderAlwaysZero = r.readFlag("delta_pic_order_always_zero_flag");
            offsetForNonRefPic = r.readSE("offset_for_non_ref_pic");
            offsetForTopToBottomField = r.readSE("offset_for_top_to_bottom_field");
            int cycle = r.readUE("num_ref_frames_in_pic_order_cnt_cycle", 0, 255);
            for (int i = 0; i < cycle; i++) {
                offsetForRefFrame.add(r.readSE("offset_for_ref_frame[" + i + "]"));
            }
        }
        int maxNumRefFrames = r.readUE("max_num_ref_frames", 0, 16);
        r.readFlag("gaps_in_frame_num_value_allowed_flag");
        int widthMbs = 1 + r.readUE("pic_width_in_mbs_minus1", 0, MAX_MBS - 1);
        int heightMapUnits = 1 + r.readUE("pic_height_in_map_units_minus1", 0, MAX_MBS - 1);
        boolean frameMbsOnly = r.readFlag("frame_mbs_only_flag");
        if (!frameMbsOnly) {
            r.readFlag("mb_adaptive_frame_field_flag");
        }
        r.readFlag("direct_8x8_inference_flag");
        int frameHeightMbs = (frameMbsOnly ? 1 : 2) * heightMapUnits;
        int width = widthMbs * 16;
        int height = frameHeightMbs * 16;
        if (r.readFlag("frame_cropping_flag")) {
            int left = r.readUE("frame_crop_left_offset");
            int right = r.readUE("frame_crop_right_offset");
            int top = r.readUE("frame_crop_top_offset");
            int bottom = r.readUE("frame_crop_bottom_offset");
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
            int subHeightC = chromaArrayType == 1 ? 2 : 1;
            int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
            long cropX = (long) cropUnitX * ((long) left + right);
            long cropY = (long) cropUnitY * ((long) top + bottom);
            if (cropX >= width || cropY >= height) {
                throw new H264Exception("SPS: frame cropping (left " + left + ", right " + right + ", top " + top
                        + ", bottom " + bottom + ") removes the whole " + width + "x" + height + " picture");
            }
            width -= (int) cropX;
            height -= (int) cropY;
        }
        Double fps = null;
        int maxNumReorderFrames = -1;
        if (r.readFlag("vui_parameters_present_flag")) {
            fps = readVuiTiming(r);
            maxNumReorderFrames = readMaxNumReorderFrames(r);
        }
        return new Sps(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, separateColourPlane,
                bitDepthLuma, bitDepthChroma, width, height, log2MaxFrameNum, frameMbsOnly, pocType,
                log2MaxPocLsb, deltaPicOrderAlwaysZero, maxNumRefFrames, fps, offsetForNonRefPic,
                offsetForTopToBottomField, offsetForRefFrame, maxNumReorderFrames);
    }

    /** profile_idc values whose SPS carries chroma_format_idc etc. (7.3.2.1.1). */
    static boolean hasChromaInfo(int profileIdc) {
        switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135:
                return true;
            default:
                return false;
        }
    }

    /** scaling_list( ) of 7.3.2.1.1.1: values are not kept, only consumed. */
    private static void skipScalingList(BitReader r, int size, int index) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size; j++) {
            if (nextScale != 0) {
                int delta = r.readSE("delta_scale (scaling list " + index + ")");
                if (delta < -128 || delta > 127) {
                    throw new H264Exception("SPS: delta_scale = " + delta + " out of range -128..127 in scaling list "
                            + index);
                }
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /** vui_parameters( ) of E.1.1 up to and including timing_info. @return fps or null */
    private static Double readVuiTiming(BitReader r) {
        if (r.readFlag("aspect_ratio_info_present_flag")) {
            int aspectRatioIdc = (int) r.readBits(8, "aspect_ratio_idc");
            if (aspectRatioIdc == 255) { // Extended_SAR
                r.readBits(16, "sar_width");
                r.readBits(16, "sar_height");
            }
        }
        if (r.readFlag("overscan_info_present_flag")) {
            r.readFlag("overscan_appropriate_flag");
        }
        if (r.readFlag("video_signal_type_present_flag")) {
            r.readBits(3, "video_format");
            r.readFlag("video_full_range_flag");
            if (r.readFlag("colour_description_present_flag")) {
                r.readBits(8, "colour_primaries");
                r.readBits(8, "transfer_characteristics");
                r.readBits(8, "matrix_coefficients");
            }
        }
        if (r.readFlag("chroma_loc_info_present_flag")) {
            r.readUE("chroma_sample_loc_type_top_field");
            r.readUE("chroma_sample_loc_type_bottom_field");
        }
        if (!r.readFlag("timing_info_present_flag")) {
            return null;
        }
        long numUnitsInTick = r.readBits(32, "num_units_in_tick");
        long timeScale = r.readBits(32, "time_scale");
        r.readFlag("fixed_frame_rate_flag");
        if (numUnitsInTick == 0 || timeScale == 0) {
            return null;
        }
        return timeScale / (2.0 * numUnitsInTick);
    }

    /**
     * The VUI after timing_info (E.1.1): hrd_parameters (E.1.2) skipped, then bitstream_restriction.
     *
     * @return max_num_reorder_frames, or -1 when absent, truncated or out of range (0..16)
     */
    private static int readMaxNumReorderFrames(BitReader r) {
        try {
            boolean nalHrd = r.readFlag("nal_hrd_parameters_present_flag");
            if (nalHrd) {
                skipHrdParameters(r);
            }
            boolean vclHrd = r.readFlag("vcl_hrd_parameters_present_flag");
            if (vclHrd) {
                skipHrdParameters(r);
            }
            if (nalHrd || vclHrd) {
                r.readFlag("low_delay_hrd_flag");
            }
            r.readFlag("pic_struct_present_flag");
            if (!r.readFlag("bitstream_restriction_flag")) {
                return -1;
            }
            r.readFlag("motion_vectors_over_pic_boundaries_flag");
            r.readUE("max_bytes_per_pic_denom");
            r.readUE("max_bits_per_mb_denom");
            r.readUE("log2_max_mv_length_horizontal");
            r.readUE("log2_max_mv_length_vertical");
            return r.readUE("max_num_reorder_frames", 0, 16);
        } catch (H264Exception e) {
            LOG.debug("SPS VUI after timing_info not used (max_num_reorder_frames unknown): {}", e.getMessage());
            return -1;
        }
    }

    /** hrd_parameters( ) of E.1.2: consumed, not kept. */
    private static void skipHrdParameters(BitReader r) {
        int cpbCount = 1 + r.readUE("cpb_cnt_minus1", 0, 31);
        r.readBits(4, "bit_rate_scale");
        r.readBits(4, "cpb_size_scale");
        for (int i = 0; i < cpbCount; i++) {
            r.readUE("bit_rate_value_minus1[" + i + "]");
            r.readUE("cpb_size_value_minus1[" + i + "]");
            r.readFlag("cbr_flag[" + i + "]");
        }
        r.readBits(20, "initial_cpb_removal_delay_length_minus1 .. time_offset_length");
    }
}
