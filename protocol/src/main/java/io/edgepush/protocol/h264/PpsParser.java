package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;

/**
 * Parser for pic_parameter_set_rbsp (ISO/IEC 14496-10 7.3.2.2). Slice group (FMO) maps are consumed so the
 * following fields are read correctly; of the optional tail (more_rbsp_data) only transform_8x8_mode_flag is
 * read.
 */
final class PpsParser {
    private PpsParser() {
    }

    /**
     * Parses a PPS NAL unit.
     *
     * @param nal borrowed; starts with the NAL unit header byte (nal_unit_type 8); not modified
     * @return the parsed PPS
     * @throws H264Exception if it is not a PPS, is truncated or holds invalid values (names the field)
     */
    public static Pps parse(ByteBuf nal) {
        int type = NalUnitType.of(nal);
        if (type != NalUnitType.PPS) {
            throw new H264Exception("expected a PPS NAL unit (type 8), got nal_unit_type " + type);
        }
        BitReader r = new BitReader(Rbsp.fromNal(nal, Integer.MAX_VALUE), "PPS");
        int ppsId = r.readUE("pic_parameter_set_id", 0, 255);
        int spsId = r.readUE("seq_parameter_set_id", 0, 31);
        boolean cabac = r.readFlag("entropy_coding_mode_flag");
        boolean bottomFieldPicOrder = r.readFlag("bottom_field_pic_order_in_frame_present_flag");
        int numSliceGroups = 1 + r.readUE("num_slice_groups_minus1", 0, 7);
        if (numSliceGroups > 1) {
            skipSliceGroupMap(r, numSliceGroups);
        }
        int refL0 = 1 + r.readUE("num_ref_idx_l0_default_active_minus1", 0, 31);
        int refL1 = 1 + r.readUE("num_ref_idx_l1_default_active_minus1", 0, 31);
        boolean weightedPred = r.readFlag("weighted_pred_flag");
        int weightedBipredIdc = (int) r.readBits(2, "weighted_bipred_idc");
        int picInitQp = 26 + r.readSE("pic_init_qp_minus26");
        r.readSE("pic_init_qs_minus26");
        r.readSE("chroma_qp_index_offset");
        boolean deblocking = r.readFlag("deblocking_filter_control_present_flag");
        r.readFlag("constrained_intra_pred_flag");
        boolean redundantPicCnt = r.readFlag("redundant_pic_cnt_present_flag");
        boolean transform8x8 = false;
        if (r.moreRbspData()) {
            transform8x8 = r.readFlag("transform_8x8_mode_flag");
        }
        return new Pps(ppsId, spsId, cabac, bottomFieldPicOrder, numSliceGroups, refL0, refL1, weightedPred,
                weightedBipredIdc, picInitQp, deblocking, redundantPicCnt, transform8x8);
    }

    /** slice_group_map_type and its parameters (7.3.2.2), consumed and dropped. */
    private static void skipSliceGroupMap(BitReader r, int numSliceGroups) {
        int mapType = r.readUE("slice_group_map_type", 0, 6);
        if (mapType == 0) {
            for (int g = 0; g < numSliceGroups; g++) {
                r.readUE("run_length_minus1[" + g + "]");
            }
        } else if (mapType == 2) {
            for (int g = 0; g < numSliceGroups - 1; g++) {
                r.readUE("top_left[" + g + "]");
                r.readUE("bottom_right[" + g + "]");
            }
        } else if (mapType >= 3 && mapType <= 5) {
            r.readFlag("slice_group_change_direction_flag");
            r.readUE("slice_group_change_rate_minus1");
        } else if (mapType == 6) {
            int mapUnits = 1 + r.readUE("pic_size_in_map_units_minus1", 0, 139263);
            int bits = 32 - Integer.numberOfLeadingZeros(numSliceGroups - 1); // Ceil(Log2(num_slice_groups))
            for (int i = 0; i < mapUnits; i++) {
                r.readBits(bits, "slice_group_id[" + i + "]");
            }
        }
    }
}
