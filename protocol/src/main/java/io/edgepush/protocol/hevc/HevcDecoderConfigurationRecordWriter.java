package io.edgepush.protocol.hevc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Writes the HEVCDecoderConfigurationRecord of ISO/IEC 14496-15 8.3.3.1 (the body of an Enhanced RTMP "hvc1"
 * SequenceStart) from VPS/SPS/PPS NAL units. Reading a record back is only done by tests (the test kit's
 * HevcDecoderConfigurationRecord).
 *
 * <p>Layout (23 fixed bytes): configurationVersion 1; general_profile_space u(2), general_tier_flag u(1),
 * general_profile_idc u(5); general_profile_compatibility_flags u(32); general_constraint_indicator_flags
 * u(48); general_level_idc u(8); '1111'b + min_spatial_segmentation_idc u(12); '111111'b + parallelismType
 * u(2); '111111'b + chromaFormat u(2); '11111'b + bitDepthLumaMinus8 u(3); '11111'b + bitDepthChromaMinus8
 * u(3); avgFrameRate u(16); constantFrameRate u(2), numTemporalLayers u(3), temporalIdNested u(1),
 * lengthSizeMinusOne u(2); numOfArrays u(8); then per array: array_completeness u(1), reserved 0 u(1),
 * NAL_unit_type u(6), numNalus u(16), and per NAL unit nalUnitLength u(16) + the NAL unit.
 *
 * <p>What it writes: profile, tier, level and constraint flags from the SPS's general
 * profile_tier_level; min_spatial_segmentation_idc 0 and parallelismType 0 (unknown: the SPS VUI is not
 * parsed); chroma format and bit depths from the SPS; avgFrameRate 0 (unspecified), constantFrameRate 0;
 * numTemporalLayers = sps_max_sub_layers_minus1 + 1; temporalIdNested = sps_temporal_id_nesting_flag;
 * lengthSizeMinusOne 3 (4-byte NAL unit lengths); three arrays VPS, SPS, PPS with array_completeness 1
 * (the coded frames carry no parameter sets).
 */
final class HevcDecoderConfigurationRecordWriter {
    /** Size of the fields before the first array. */
    static final int FIXED_BYTES = 23;

    private HevcDecoderConfigurationRecordWriter() {
    }

    /**
     * Builds the record from one VPS, one SPS and one PPS.
     *
     * @param a allocator for the result
     * @param vps BORROWED VPS NAL unit (2-byte header included); not modified
     * @param sps BORROWED SPS NAL unit; not modified
     * @param pps BORROWED PPS NAL unit; not modified
     * @return the record; the CALLER OWNS it and must release it once
     * @throws H265Exception if a NAL unit has the wrong type, is longer than 65535 bytes, or the SPS does not parse
     */
    static ByteBuf build(ByteBufAllocator a, ByteBuf vps, ByteBuf sps, ByteBuf pps) {
        check(vps, HevcNalUnitType.VPS, "VPS");
        check(sps, HevcNalUnitType.SPS, "SPS");
        check(pps, HevcNalUnitType.PPS, "PPS");
        HevcSps s = HevcSps.parse(sps);
        ProfileTierLevel ptl = s.profileTierLevel();
        ByteBuf out = a.buffer(FIXED_BYTES + 15 + vps.readableBytes() + sps.readableBytes() + pps.readableBytes());
        out.writeByte(1); // configurationVersion
        out.writeByte(ptl.profileSpace() << 6 | (ptl.tierFlag() ? 0x20 : 0) | ptl.profileIdc());
        out.writeInt(ptl.compatibilityFlags());
        out.writeShort((int) (ptl.constraintIndicatorFlags() >>> 32));
        out.writeInt((int) ptl.constraintIndicatorFlags());
        out.writeByte(ptl.levelIdc());
        out.writeShort(0xF000); // reserved '1111'b + min_spatial_segmentation_idc 0
        out.writeByte(0xFC); // reserved '111111'b + parallelismType 0
        out.writeByte(0xFC | s.chromaFormatIdc());
        out.writeByte(0xF8 | (s.bitDepthLuma() - 8));
        out.writeByte(0xF8 | (s.bitDepthChroma() - 8));
        out.writeShort(0); // avgFrameRate: unspecified
        out.writeByte((s.maxSubLayersMinus1() + 1) << 3 | (s.temporalIdNesting() ? 0x04 : 0) | 3);
        out.writeByte(3); // numOfArrays
        for (ByteBuf nal : List.of(vps, sps, pps)) {
            out.writeByte(0x80 | HevcNalUnitType.of(nal)); // array_completeness 1, reserved 0
            out.writeShort(1); // numNalus
            out.writeShort(nal.readableBytes());
            out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        }
        return out;
    }

    private static void check(ByteBuf nal, int type, String name) {
        int actual = HevcNalUnitType.of(nal);
        if (actual != type) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: " + name + " expected (nal_unit_type " + type
                    + "), got nal_unit_type " + actual);
        }
        if (nal.readableBytes() > 0xFFFF) {
            throw new H265Exception("HEVCDecoderConfigurationRecord: " + name + " of " + nal.readableBytes()
                    + " bytes is over the 16-bit nalUnitLength limit");
        }
    }
}
