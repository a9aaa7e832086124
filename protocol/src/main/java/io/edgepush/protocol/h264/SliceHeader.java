package io.edgepush.protocol.h264;

import io.netty.buffer.ByteBuf;
import java.util.function.IntFunction;

/**
 * The start of slice_header( ) (ISO/IEC 14496-10 7.3.3) up to delta_pic_order_cnt[1]: the fields used to find
 * the first VCL NAL unit of a primary coded picture (7.4.1.2.4).
 *
 * @param nalUnitType 1 (non-IDR slice), 2 (data partition A) or 5 (IDR slice)
 * @param nalRefIdc nal_ref_idc from the NAL header, 0..3
 * @param firstMbInSlice first_mb_in_slice
 * @param sliceType slice_type, 0..9 (5..9 = all slices of the picture have type sliceType - 5)
 * @param ppsId pic_parameter_set_id
 * @param frameNum frame_num
 * @param fieldPic field_pic_flag
 * @param bottomField bottom_field_flag
 * @param idrPicId idr_pic_id (-1 for non-IDR slices)
 * @param picOrderCntLsb pic_order_cnt_lsb (0 unless pic_order_cnt_type == 0)
 * @param deltaPicOrderCntBottom delta_pic_order_cnt_bottom (0 when absent)
 * @param deltaPicOrderCnt0 delta_pic_order_cnt[0] (0 when absent)
 * @param deltaPicOrderCnt1 delta_pic_order_cnt[1] (0 when absent)
 */
record SliceHeader(
        int nalUnitType,
        int nalRefIdc,
        int firstMbInSlice,
        int sliceType,
        int ppsId,
        int frameNum,
        boolean fieldPic,
        boolean bottomField,
        int idrPicId,
        int picOrderCntLsb,
        int deltaPicOrderCntBottom,
        int deltaPicOrderCnt0,
        int deltaPicOrderCnt1) {

    /** Upper bound of the RBSP bytes the fields above can occupy (each ue(v) is at most 63 bits). */
    private static final int MAX_HEADER_RBSP_BYTES = 128;

    /** @return true for an IDR slice (IdrPicFlag) */
    public boolean isIdr() {
        return nalUnitType == NalUnitType.IDR;
    }

    /**
     * Reads only first_mb_in_slice, which needs no parameter set.
     *
     * @param nal borrowed; a slice NAL unit starting with its header byte; not modified
     * @throws H264Exception if the NAL unit is too short to hold first_mb_in_slice
     */
    public static int readFirstMbInSlice(ByteBuf nal) {
        return new BitReader(Rbsp.fromNal(nal, 8), "slice header").readUE("first_mb_in_slice");
    }

    /**
     * Parses the slice header start of a coded slice NAL unit (types 1, 5 and partition A, type 2).
     *
     * @param nal borrowed; starts with the NAL unit header byte; not modified
     * @param ppsById PPS by pic_parameter_set_id, null when unknown
     * @param spsById SPS by seq_parameter_set_id, null when unknown
     * @throws H264Exception if the NAL unit is not a slice, is truncated, or refers to a missing PPS/SPS
     */
    public static SliceHeader parse(ByteBuf nal, IntFunction<Pps> ppsById, IntFunction<Sps> spsById) {
        int type = NalUnitType.of(nal);
        if (type != NalUnitType.SLICE && type != NalUnitType.DPA && type != NalUnitType.IDR) {
            throw new H264Exception("expected a coded slice NAL unit (type 1, 2 or 5), got nal_unit_type " + type);
        }
        int refIdc = NalUnitType.refIdc(nal);
        BitReader r = new BitReader(Rbsp.fromNal(nal, MAX_HEADER_RBSP_BYTES), "slice header");
        int firstMb = r.readUE("first_mb_in_slice");
        int sliceType = r.readUE("slice_type", 0, 9);
        int ppsId = r.readUE("pic_parameter_set_id", 0, 255);
        Pps pps = ppsById.apply(ppsId);
        if (pps == null) {
            throw new H264Exception("slice header refers to PPS " + ppsId + " which has not been received");
        }
        Sps sps = spsById.apply(pps.spsId());
        if (sps == null) {
            throw new H264Exception("slice header refers to PPS " + ppsId + " whose SPS " + pps.spsId()
                    + " has not been received");
        }
        if (sps.separateColourPlane()) {
            r.readBits(2, "colour_plane_id");
        }
        int frameNum = (int) r.readBits(sps.log2MaxFrameNum(), "frame_num");
        boolean fieldPic = false;
        boolean bottomField = false;
        if (!sps.frameMbsOnly()) {
            fieldPic = r.readFlag("field_pic_flag");
            if (fieldPic) {
                bottomField = r.readFlag("bottom_field_flag");
            }
        }
        int idrPicId = type == NalUnitType.IDR ? r.readUE("idr_pic_id", 0, 65535) : -1;
        int pocLsb = 0;
        int deltaBottom = 0;
        int delta0 = 0;
        int delta1 = 0;
        if (sps.pocType() == 0) {
            pocLsb = (int) r.readBits(sps.log2MaxPocLsb(), "pic_order_cnt_lsb");
            if (pps.bottomFieldPicOrderInFramePresent() && !fieldPic) {
                deltaBottom = r.readSE("delta_pic_order_cnt_bottom");
            }
        } else if (sps.pocType() == 1 && !sps.deltaPicOrderAlwaysZero()) {
            delta0 = r.readSE("delta_pic_order_cnt[0]");
            if (pps.bottomFieldPicOrderInFramePresent() && !fieldPic) {
                delta1 = r.readSE("delta_pic_order_cnt[1]");
            }
        }
        return new SliceHeader(type, refIdc, firstMb, sliceType, ppsId, frameNum, fieldPic, bottomField, idrPicId,
                pocLsb, deltaBottom, delta0, delta1);
    }

    /**
     * Whether {@code next} belongs to a different primary coded picture than {@code this} (ISO/IEC 14496-10 7.4.1.2.4,
     * with redundant_pic_cnt and the MVC/SVC conditions not considered).
     */
    public boolean belongsToDifferentPicture(SliceHeader next) {
        return next.frameNum != frameNum
                || next.ppsId != ppsId
                || next.fieldPic != fieldPic
                || (next.fieldPic && next.bottomField != bottomField)
                || (next.nalRefIdc != nalRefIdc && (next.nalRefIdc == 0 || nalRefIdc == 0))
                || next.picOrderCntLsb != picOrderCntLsb
                || next.deltaPicOrderCntBottom != deltaPicOrderCntBottom
                || next.deltaPicOrderCnt0 != deltaPicOrderCnt0
                || next.deltaPicOrderCnt1 != deltaPicOrderCnt1
                || next.isIdr() != isIdr()
                || (next.isIdr() && isIdr() && next.idrPicId != idrPicId);
    }
}
